using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Runtime;
using Surveillance.Cluster;

namespace Surveillance.Ownership.Node;

/// <summary>
/// A node of the grain design: an Orleans silo (Redis membership, the engine's failure detection) hosting
/// <see cref="CameraGrain"/>, with <see cref="CameraKeeper"/> calling every camera. Its events go to stdout, Orleans'
/// warnings to stderr. It stops when stdin closes (the orchestrator is gone), so that no node outlives a run.
/// </summary>
public static class NodeRole
{
    public static async Task<int> RunAsync(NodeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        EventLine.Node = settings.Name;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Surveillance", LogLevel.Information);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton<KeeperGate>();
        builder.UseOrleans(silo =>
        {
            silo.Configure<Orleans.Configuration.ClusterOptions>(o =>
            {
                o.ClusterId = settings.ClusterId;
                o.ServiceId = "surveillance-ownership";
            });
            silo.Configure<SiloOptions>(o => o.SiloName = settings.Name);
            silo.ConfigureEndpoints(IPAddress.Loopback, settings.SiloPort, gatewayPort: 0);
            silo.UseRedisClustering(settings.Redis);
            silo.Configure<ClusterMembershipOptions>(o => FailureDetection.Configure(o, settings.Cluster));
            // A call to a node that died is abandoned when the keeper gives up on it, not after Orleans' 30 s.
            silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = settings.CallTimeout);
            if (settings.Directory == "distributed")
            {
#pragma warning disable ORLEANSEXP003 // Experimental in Orleans 10: measured on request only.
                silo.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003
            }
            else if (settings.Directory != "default")
            {
                throw new ArgumentException($"--directory: '{settings.Directory}' is not 'default' or 'distributed'");
            }
            Placements.Apply(silo.Services, settings.Placement);
            silo.Services.AddSingleton<IFatalErrorHandler, DeclaredDeadLine>();
        });
        // After the silo: stopped before it, so that a node leaving stops calling before its grains are deactivated.
        builder.Services.AddHostedService<MembershipWatcher>();
        builder.Services.AddHostedService<CameraKeeper>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));

        using var host = builder.Build();
        await host.StartAsync().ConfigureAwait(false);
        var placement = host.Services.GetRequiredService<PlacementStrategy>().GetType().Name;
        var directory = settings.Directory == "distributed" ? "DistributedGrainDirectory" : "LocalGrainDirectory (DHT)";
        EventLine.Write("ready", detail: $"placement={placement}; directory={directory}");

        var gate = host.Services.GetRequiredService<KeeperGate>();
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        _ = Task.Run(async () =>
        {
            while (await Console.In.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                if (line.Trim() == "keep")
                    gate.Open();
            }
            lifetime.StopApplication();
        });
        await host.WaitForShutdownAsync().ConfigureAwait(false);
        EventLine.Write("stopped");
        return 0;
    }
}
