using System.Threading.Channels;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Surveillance.Alerts;
using Surveillance.Alerts.Dispatch;
using Surveillance.Alerts.Mqtt;
using Surveillance.Alerts.Outbox;
using Surveillance.Alerts.Reviews;
using Surveillance.Analytics;
using Surveillance.Analytics.Tracking;
using Surveillance.Cameras;
using Surveillance.Cameras.Alerting;
using Surveillance.Cameras.Control;
using Surveillance.Cameras.Detectors;
using Surveillance.Cameras.Inventory;
using Surveillance.Cameras.Placement;
using Surveillance.Host.Api;
using Surveillance.Host.Configuration;
using Surveillance.Host.Lifecycle;
using Surveillance.Host.Pipeline;
using Surveillance.Ingest;
using Surveillance.Ingest.Vehicles;

namespace Surveillance.Host;

/// <summary>
/// Assembles the engine: ingest (one ffmpeg per camera) → scheduler → motion gate → detectors → tracker →
/// rules and events → MQTT.
/// </summary>
public static class EngineHost
{
    /// <summary>Frames' event messages waiting for the alert stage; small, since most frames produce none and the alert stage is far faster.</summary>
    private const int EventQueueCapacity = 64;

    /// <summary>
    /// The engine's host builder: <c>appsettings.json</c> beside the binary, then environment variables
    /// (<c>Cameras__0__Url</c>), then command-line arguments (<c>--Cameras:0:Url=…</c>).
    /// </summary>
    public static HostApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.UseUtcTimestamp = true;
            console.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";
        });
        // Startup failures are reported once, as a line naming the problem (see RunAsync), not as a stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);

        ClusterHosting.AddCluster(builder);
        AddEngine(builder.Services, builder.Configuration);
        return builder;
    }

    /// <summary>Builds, checks and runs the engine until it is stopped.</summary>
    /// <returns>
    /// The process exit code: 0 after a clean stop, 2 for bad configuration, 1 when it could not start, 3 when it
    /// stopped because another running engine has its node id, 4 when the cluster declared it dead.
    /// </returns>
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        IHost host;
        try
        {
            host = CreateBuilder(args).Build();
            ValidateConfiguration(host.Services);
        }
        catch (Exception e) when (StartupErrors.Describe(e) is { Count: > 0 } lines)
        {
            WriteErrors(lines);
            return 2;
        }

        using (host)
        {
            IHostApplicationLifetime? lifetime = null;
            try
            {
                // Resolved before the run: the host disposes its services when it ends.
                var connection = host.Services.GetRequiredService<MqttConnection>();
                lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
                var standing = host.Services.GetService<Surveillance.Cluster.ClusterStanding>();
                await host.RunAsync(cancellationToken).ConfigureAwait(false);
                if (connection.NodeIdConflict is { } conflict)
                {
                    WriteErrors([conflict.Message]);
                    return 3;
                }
                if (standing is { DeclaredDead: true })
                {
                    WriteErrors(["The cluster declared this node dead (it was frozen or cut off for longer than its failure detection allows); its cameras run on the other nodes. Start it again to rejoin as a new member."]);
                    return 4;
                }
                return 0;
            }
            catch (OperationCanceledException) when (lifetime?.ApplicationStopping.IsCancellationRequested == true)
            {
                // Stopped (SIGTERM) before it had finished starting: a clean stop.
                return 0;
            }
            catch (Exception e) when (StartupErrors.Describe(e) is { Count: > 0 } lines)
            {
                WriteErrors(lines);
                return 1;
            }
        }
    }

    /// <summary>
    /// Resolves every options class, which binds and validates it, so that all configuration problems are
    /// reported together before anything starts.
    /// </summary>
    public static void ValidateConfiguration(IServiceProvider services)
    {
        var failures = new List<string>();
        void Check<T>() where T : class
        {
            try
            {
                _ = services.GetRequiredService<IOptions<T>>().Value;
            }
            catch (OptionsValidationException e)
            {
                failures.AddRange(e.Failures);
            }
        }

        Check<NodeIdentity>();
        Check<MqttOptions>();
        Check<MetricsOptions>();
        Check<ApiOptions>();
        Check<DetectorOptions>();
        Check<AlertOptions>();
        Check<IngestOptions>();
        Check<VehicleOptions>();
        Check<TrackerOptions>();
        Check<OutboxOptions>();
        Check<EventsOptions>();
        Check<ReviewOptions>();
        Check<GridOptions>();
        Check<DispatchOptions>();
        Check<CameraSet>();
        Check<Surveillance.Cluster.ClusterOptions>();
        if (failures.Count > 0)
            throw new OptionsValidationException("Surveillance", typeof(object), failures);
    }

    private static void AddEngine(IServiceCollection services, IConfiguration configuration)
    {
        AddValidatedOptions<NodeIdentity>(services, configuration, "Node", ValidateNode);
        AddValidatedOptions<MqttOptions>(services, configuration, "Mqtt", o => o.Validate());
        AddValidatedOptions<MetricsOptions>(services, configuration, "Metrics", o => o.Validate());
        AddValidatedOptions<ApiOptions>(services, configuration, ApiOptions.Section, o => o.Validate(configuration["Metrics:Host"] ?? new MetricsOptions().Host));
        AddValidatedOptions<DetectorOptions>(services, configuration, "Detector", o => o.Validate());
        AddValidatedOptions<AlertOptions>(services, configuration, "Alerts", o => o.Validate());
        AddValidatedOptions<IngestOptions>(services, configuration, "Ingest", o => o.Validate());
        AddValidatedOptions<VehicleOptions>(services, configuration, "Vehicles", o => o.Validate());
        AddValidatedOptions<TrackerOptions>(services, configuration, TrackerOptions.Section, o => o.Validate());
        AddValidatedOptions<OutboxOptions>(services, configuration, "Outbox", o => o.Validate());
        AddValidatedOptions<EventsOptions>(services, configuration, EventsOptions.Section, o => o.Validate());
        AddValidatedOptions<ReviewOptions>(services, configuration, ReviewOptions.Section, o => o.Validate());
        AddValidatedOptions<GridOptions>(services, configuration, "Grids", o => o.Validate());
        AddValidatedOptions<DispatchOptions>(services, configuration, "Dispatch", o => o.Validate());
        services.AddOptions<CameraSet>()
            .Configure(set => set.Bind(configuration))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<CameraSet>>(new OptionsValidator<CameraSet>(o => o.Validate()));

        services.TryAddSingleton(TimeProvider.System);
        AddMetrics(services);
        services.AddSingleton<NodeInstance>();
        // Patrol cameras of the file join later; each starts its vehicle's track when its pipeline starts.
        services.AddSingleton(sp => new VehicleRegistry(
            sp.GetRequiredService<IOptions<CameraSet>>().Value.EnabledRecords.Select(r => r.Camera)
                .Where(c => c.Kind == CameraKind.Patrol && c.VehicleId is not null).Select(c => c.VehicleId!)
                .Concat(sp.GetRequiredService<IOptions<VehicleOptions>>().Value.Ids),
            sp.GetRequiredService<IOptions<VehicleOptions>>().Value,
            sp.GetRequiredService<TimeProvider>()));
        var events = Channel.CreateBounded<CameraEvents>(new BoundedChannelOptions(EventQueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        services.AddSingleton(events.Reader);
        services.AddSingleton(events.Writer);
        services.AddSingleton<FrameScheduler<CameraPipeline>>();
        services.AddSingleton(sp => new DecoderStartGate(sp.GetRequiredService<IOptions<IngestOptions>>().Value.EffectiveMaxConcurrentStarts));
        services.AddSingleton(sp => new MqttTopics(
            sp.GetRequiredService<IOptions<MqttOptions>>().Value.TopicPrefix, sp.GetRequiredService<IOptions<NodeIdentity>>().Value.Id));
        services.AddSingleton(sp => new CameraNode(
            sp.GetRequiredService<IOptions<NodeIdentity>>().Value,
            sp.GetRequiredService<IOptions<IngestOptions>>().Value,
            sp.GetRequiredService<IOptions<TrackerOptions>>().Value,
            sp.GetRequiredService<IOptions<AlertOptions>>().Value,
            sp.GetRequiredService<DecoderStartGate>(),
            new FrameBuffers(),
            sp.GetRequiredService<FrameScheduler<CameraPipeline>>(),
            events.Writer,
            sp.GetRequiredService<IMqttPublisher>(),
            sp.GetRequiredService<MqttTopics>(),
            sp.GetRequiredService<VehicleRegistry>(),
            sp.GetRequiredService<PipelineMetrics>(),
            sp.GetRequiredService<IngestMetrics>(),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ICameraPlacement, NodeAlonePlacement>();
        services.AddSingleton<CameraControl>();
        services.AddSingleton<ICameraControl>(sp => sp.GetRequiredService<CameraControl>());
        services.AddSingleton<MqttConnection>();
        services.AddSingleton<VehiclePositionListener>();
        services.AddSingleton(sp => OpenOutbox(sp.GetRequiredService<IOptions<OutboxOptions>>().Value));
        services.TryAddSingleton<IOutboxCourier>(sp => new BrokerCourier(sp.GetRequiredService<MqttConnection>()));
        services.TryAddSingleton<ICameraEpochs, NoCameraEpochs>();
        services.AddSingleton<MqttOutbox>();
        services.AddSingleton<IMqttPublisher>(sp => sp.GetRequiredService<MqttOutbox>());
        services.AddSingleton<AlertMessages>();
        services.AddSingleton(sp => OpenEventStore(
            sp.GetRequiredService<IOptions<EventsOptions>>().Value.FileBeside(sp.GetRequiredService<IOptions<OutboxOptions>>().Value.Path)));
        services.AddSingleton<MuteList>();
        services.AddSingleton(sp => new ReviewFeed(sp.GetRequiredService<IOptions<ReviewOptions>>().Value, sp.GetRequiredService<ReviewMetrics>()));
        services.AddSingleton(sp => new ReviewBook(
            sp.GetRequiredService<EventStore>(), sp.GetRequiredService<MuteList>(), sp.GetRequiredService<ReviewFeed>(),
            sp.GetRequiredService<IMqttPublisher>(), sp.GetRequiredService<MqttTopics>(), sp.GetRequiredService<ReviewMetrics>(),
            sp.GetRequiredService<IOptions<ReviewOptions>>().Value, sp.GetRequiredService<IOptions<EventsOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ReviewBook>>()));

        // The node's services, in the order they start (and, reversed, stop): see EngineStage for why.
        services.AddHostedService<EngineLifecycle>();
        services.AddStage<HttpEndpoint>(EngineStage.HttpEndpoint);
        services.AddStage<GridMap>(EngineStage.GridMap);
        if (string.IsNullOrWhiteSpace(configuration["Mqtt:Host"]))
            services.AddStage<EmbeddedMqttBroker>(EngineStage.EmbeddedBroker);
        // Subscribers register with the connection when they are built, which is before it starts.
        services.AddStage(EngineStage.MqttLink, sp =>
        {
            _ = sp.GetRequiredService<VehiclePositionListener>();
            return sp.GetRequiredService<MqttConnection>();
        });
        services.AddStage(EngineStage.Outbox, sp => sp.GetRequiredService<MqttOutbox>());
        services.AddStage<AlertStage>(EngineStage.AlertStage);
        services.AddStage<DetectorPool>(EngineStage.Detectors);
        services.AddStage<CameraDirectory>(EngineStage.Cameras);
        services.AddStage<LiveInventory>(EngineStage.Inventory);
        services.AddStage<NodeStatusPublisher>(EngineStage.NodeStatus);
    }

    private static void AddMetrics(IServiceCollection services)
    {
        services.AddSingleton(_ => Prometheus.Metrics.NewCustomRegistry());
        services.AddSingleton<Prometheus.IMetricFactory>(sp => Prometheus.Metrics.WithCustomRegistry(sp.GetRequiredService<Prometheus.CollectorRegistry>()));
        services.AddSingleton<IngestMetrics>();
        services.AddSingleton<PipelineMetrics>();
        services.AddSingleton<AnalyticsMetrics>();
        services.AddSingleton<AlertsMetrics>();
        services.AddSingleton<ReviewMetrics>();
        services.AddStage<RuntimeMetrics>(EngineStage.RuntimeMetrics);
    }

    private static void AddValidatedOptions<T>(IServiceCollection services, IConfiguration configuration, string section,
        Func<T, IEnumerable<string>> validate) where T : class
    {
        services.AddOptions<T>().Bind(configuration.GetSection(section), StrictBinding).ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>>(new OptionsValidator<T>(validate));
    }

    private static SqliteOutbox OpenOutbox(OutboxOptions options)
    {
        try
        {
            return new SqliteOutbox(options);
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Outbox:Path: cannot open '{options.Path}' ({e.Message})", e);
        }
    }

    private static EventStore OpenEventStore(string file)
    {
        try
        {
            return new EventStore(file);
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Events:Path: cannot open '{file}' ({e.Message})", e);
        }
    }

    /// <summary>A misspelt key would otherwise be ignored silently and its default used.</summary>
    private static void StrictBinding(BinderOptions options) => options.ErrorOnUnknownConfiguration = true;

    private static IEnumerable<string> ValidateNode(NodeIdentity node)
    {
        if (!TopicSegment.IsValid(node.Id))
            yield return node.Id == Environment.MachineName
                ? $"Node:Id: defaults to the host name, '{node.Id}', which does not fit (a node id {TopicSegment.Rule}); set Node:Id"
                : $"Node:Id: '{node.Id}' {TopicSegment.Rule}";
    }

    private static void WriteErrors(IEnumerable<string> lines)
    {
        foreach (var line in lines)
            Console.Error.WriteLine(line);
    }
}
