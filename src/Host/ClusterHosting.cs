using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Surveillance.Alerts;
using Surveillance.Alerts.Mqtt;
using Surveillance.Alerts.Outbox;
using Surveillance.Cameras.Placement;
using Surveillance.Cluster;
using ClusterOptions = Surveillance.Cluster.ClusterOptions;
using ClusterOptionsValidator = Surveillance.Cluster.ClusterOptionsValidator;
using Surveillance.Host.Lifecycle;

namespace Surveillance.Host;

/// <summary>
/// Makes the engine a node of a cluster when <c>Cluster:Redis</c> and <c>Cluster:Postgres</c> are set: an Orleans silo
/// (membership in Redis), camera ownership and the shared outbox in PostgreSQL. Without them it adds nothing, and the
/// engine runs alone.
/// </summary>
public static class ClusterHosting
{
    /// <summary>Called before the engine's own services, so that the silo starts before the engine and stops after it has drained.</summary>
    public static void AddCluster(HostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(ClusterOptions.Section);
        builder.Services.AddOptions<ClusterOptions>().Bind(section, o => o.ErrorOnUnknownConfiguration = true).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ClusterOptions>, ClusterOptionsValidator>();
        var options = new ClusterOptions();
        try
        {
            section.Bind(options);
        }
        catch (InvalidOperationException)
        {
            // Reported, with every other problem, when the options are validated.
            return;
        }
        if (!options.Enabled || ClusterOptionsValidator.Problems(options).Any())
            return;

        var nodeId = builder.Configuration["Node:Id"] ?? new NodeIdentity().Id;
        builder.UseOrleans(silo =>
        {
            silo.Configure<Orleans.Configuration.ClusterOptions>(o =>
            {
                o.ClusterId = options.ClusterId;
                o.ServiceId = "surveillance";
            });
            silo.Configure<SiloOptions>(o => o.SiloName = nodeId);
            silo.ConfigureEndpoints(IPAddress.Parse(options.AdvertisedAddress), options.SiloPort, gatewayPort: 0);
            silo.UseRedisClustering(options.Redis!);
            silo.Configure<ClusterMembershipOptions>(o => FailureDetection.Configure(o, options));
        });
        builder.Logging.AddFilter("Orleans", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Orleans", LogLevel.Warning);

        var services = builder.Services;
        services.AddSingleton<ClusterStanding>();
        services.AddSingleton<IFatalErrorHandler, DeclaredDeadHandler>();
        services.AddSingleton<ClusterMetrics>();
        services.AddSingleton(sp => new SharedStore(sp.GetRequiredService<IOptions<ClusterOptions>>().Value));
        services.AddSingleton<ClusterMembership>();
        services.AddSingleton(sp => new CameraLeases(sp.GetRequiredService<SharedStore>(), sp.GetRequiredService<ClusterMembership>().LocalSilo, nodeId,
            sp.GetRequiredService<AlertMessages>().ToMessage, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new NodeSession(sp.GetRequiredService<SharedStore>(), sp.GetRequiredService<ClusterMembership>().LocalSilo));
        services.AddSingleton(sp => new SharedOutbox(sp.GetRequiredService<SharedStore>(), sp.GetRequiredService<ClusterMembership>().LocalSilo));
        services.AddSingleton<SharedOutboxPublisher>();
        services.AddSingleton<IOutboxCourier, SharedStoreCourier>();
        services.AddSingleton<CameraEpochs>();
        services.AddSingleton<ICameraEpochs>(sp => sp.GetRequiredService<CameraEpochs>());
        services.AddSingleton<CameraOwnership>();
        services.AddSingleton<ICameraPlacement>(sp => sp.GetRequiredService<CameraOwnership>());
        services.AddStage(EngineStage.SharedStore, sp => new SharedStoreSchema(sp.GetRequiredService<SharedStore>()));
        services.AddStage(EngineStage.SharedOutbox, sp => sp.GetRequiredService<SharedOutboxPublisher>());
        services.AddStage(EngineStage.Ownership, sp => sp.GetRequiredService<CameraOwnership>());
    }

    /// <summary>The cluster's tables, created before anything is committed; a store that cannot be reached stops the start with its address.</summary>
    private sealed class SharedStoreSchema(SharedStore store) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            try
            {
                await store.CreateSchemaAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (SharedStore.IsUnreachable(e))
            {
                throw new InvalidOperationException($"Cluster:Postgres: cannot use the shared store at {store.Description} ({e.Message})", e);
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
