using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Surveillance.Host.Lifecycle;

/// <summary>
/// Starts the node's services in <see cref="EngineStage"/> order and stops them in reverse: the one hosted service
/// the generic host sees, so that the order does not hang on the order of registrations.
/// </summary>
public sealed class EngineLifecycle(IServiceProvider services, IEnumerable<EngineStageRegistration> registrations) : IHostedService
{
    private readonly List<IHostedService> _started = [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            foreach (var registration in registrations.OrderBy(r => r.Stage))
            {
                var service = registration.Resolve(services);
                await service.StartAsync(cancellationToken).ConfigureAwait(false);
                _started.Add(service);
            }
        }
        catch
        {
            // What started is stopped again (no decoder or connection is left behind); the failure is the start's.
            try
            {
                await StopAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (AggregateException)
            {
            }
            throw;
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Every service started gets its stop, even when an earlier one fails to stop.
        var failures = new List<Exception>();
        for (var i = _started.Count - 1; i >= 0; i--)
        {
            try
            {
                await _started[i].StopAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                failures.Add(e);
            }
        }
        _started.Clear();
        if (failures.Count > 0)
            throw new AggregateException(failures);
    }
}

/// <summary>A service of the node and the stage it starts at.</summary>
public sealed record EngineStageRegistration(EngineStage Stage, Func<IServiceProvider, IHostedService> Resolve);

public static class EngineStageServiceCollectionExtensions
{
    /// <summary>Registers <typeparamref name="T"/> as a singleton that the <see cref="EngineLifecycle"/> starts at <paramref name="stage"/>.</summary>
    public static IServiceCollection AddStage<T>(this IServiceCollection services, EngineStage stage) where T : class, IHostedService
    {
        services.AddSingleton<T>();
        return services.AddStage(stage, sp => sp.GetRequiredService<T>());
    }

    public static IServiceCollection AddStage(this IServiceCollection services, EngineStage stage, Func<IServiceProvider, IHostedService> resolve)
    {
        services.AddSingleton(new EngineStageRegistration(stage, resolve));
        return services;
    }
}
