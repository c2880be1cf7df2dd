namespace Surveillance.Alerts;

/// <summary>This engine instance, under <c>Node</c>. Every message it publishes names it.</summary>
public sealed class NodeIdentity
{
    /// <summary>Unique per engine instance in a deployment; defaults to the machine name.</summary>
    public string Id { get; set; } = Environment.MachineName;
}
