using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Surveillance.Alerts;
using Surveillance.Alerts.Mqtt;
using Surveillance.Analytics.Tracking;
using Surveillance.Cameras.Alerting;
using Surveillance.Cameras.Detectors;
using Surveillance.Ingest;
using Surveillance.Ingest.Vehicles;

namespace Surveillance.Cameras;

/// <summary>
/// What every camera of this node shares: the decoder start gate, the pinned frame buffers, the detectors' scheduler, the alert stage's
/// queue, the MQTT publisher, the vehicles' tracks, and the settings that are the same for all cameras. Built once
/// per engine; a <see cref="CameraPipeline"/> takes its place in each of these when it starts and leaves it when it stops.
/// </summary>
public sealed class CameraNode(
    NodeIdentity node,
    IngestOptions ingest,
    TrackerOptions tracker,
    AlertOptions alerts,
    DecoderStartGate startGate,
    FrameBuffers frameBuffers,
    FrameScheduler<CameraPipeline> scheduler,
    ChannelWriter<CameraEvents> events,
    IMqttPublisher publisher,
    MqttTopics topics,
    VehicleRegistry vehicles,
    PipelineMetrics pipelineMetrics,
    IngestMetrics ingestMetrics,
    ILoggerFactory loggerFactory,
    TimeProvider time)
{
    public string NodeId { get; } = node.Id;
    public IngestOptions Ingest { get; } = ingest;
    public TrackerOptions Tracker { get; } = tracker;
    public AlertOptions Alerts { get; } = alerts;
    public DecoderStartGate StartGate { get; } = startGate;
    public FrameBuffers FrameBuffers { get; } = frameBuffers;
    public FrameScheduler<CameraPipeline> Scheduler { get; } = scheduler;
    public ChannelWriter<CameraEvents> Events { get; } = events;
    public IMqttPublisher Publisher { get; } = publisher;
    public MqttTopics Topics { get; } = topics;
    public VehicleRegistry Vehicles { get; } = vehicles;
    public PipelineMetrics PipelineMetrics { get; } = pipelineMetrics;
    public IngestMetrics IngestMetrics { get; } = ingestMetrics;
    public ILoggerFactory LoggerFactory { get; } = loggerFactory;
    public TimeProvider Time { get; } = time;
}
