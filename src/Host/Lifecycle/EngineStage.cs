namespace Surveillance.Host.Lifecycle;

/// <summary>
/// The order in which the node's services start; they stop in the reverse order. This is the one place the
/// order is declared: each stage says why it sits where it does.
/// </summary>
public enum EngineStage
{
    /// <summary>The process's and the runtime's figures, there from the first scrape.</summary>
    RuntimeMetrics = 50,

    /// <summary>Up before the node's work, down after it: health and metrics answer for the whole life of the engine.</summary>
    HttpEndpoint = 100,

    /// <summary>Grid polygons, read before any alert needs a grid.</summary>
    GridMap = 200,

    /// <summary>The in-process broker, when no broker is configured: before the link that connects to it.</summary>
    EmbeddedBroker = 300,

    /// <summary>In a cluster: the shared store's tables, before anything is committed there.</summary>
    SharedStore = 350,

    /// <summary>The MQTT link (and the node-id check), before anything publishes.</summary>
    MqttLink = 400,

    /// <summary>In a cluster: publishing from the shared outbox; stops after the local outbox has shipped its last messages, and drains.</summary>
    SharedOutbox = 450,

    /// <summary>The outbox's delivery to the link; stops after the alert stage has handed over its last alert, and drains.</summary>
    Outbox = 500,

    /// <summary>The alert stage; stops after the detectors and cameras, draining the ends they sent.</summary>
    AlertStage = 600,

    /// <summary>The detectors; stop after the cameras, so that the last frames in flight finish, then close the alert stage's queue.</summary>
    Detectors = 700,

    /// <summary>The camera directory: each camera's pipeline. Stopping ends every camera's open events (<c>shutdown</c>) and says its last status.</summary>
    Cameras = 800,

    /// <summary>
    /// In a cluster: which cameras this node holds. Starts before the inventory's first load places them; stops before
    /// the cameras, handing each over to another node (the node drains) while the alert stage and outbox still run.
    /// </summary>
    Ownership = 850,

    /// <summary>The inventory's first load and its reloads; stops first, so that no change lands while the cameras stop.</summary>
    Inventory = 900,

    /// <summary>The node's retained availability heartbeat, once everything runs.</summary>
    NodeStatus = 1000,
}
