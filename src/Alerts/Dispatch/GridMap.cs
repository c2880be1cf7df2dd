using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Surveillance.Alerts.Dispatch;

/// <summary>
/// The grids in force. Loaded at start (a file that cannot be read stops the engine with the reason) and
/// again whenever the file changes; a reload swaps the whole index at once, so an alert is always routed by
/// one complete version, and a broken new file leaves the previous one in force.
/// </summary>
public sealed partial class GridMap : IHostedService, IDisposable
{
    private static readonly TimeSpan ReloadDelay = TimeSpan.FromMilliseconds(500);

    private readonly GridOptions _options;
    private readonly ILogger<GridMap> _logger;
    private volatile GridIndex? _index;
    private FileSystemWatcher? _watcher;
    private Timer? _reload;

    public GridMap(IOptions<GridOptions> options, ILogger<GridMap> logger)
    {
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>Grids currently loaded; 0 without a grid file.</summary>
    public int Count => _index?.Count ?? 0;

    /// <summary>The grids in force, in the file's order; none without a grid file.</summary>
    public IReadOnlyList<GridShape> Shapes => _index?.Shapes ?? [];

    /// <summary>The grid containing the point, or null (no grid file, or outside every grid).</summary>
    public string? Locate(double lat, double lon) => _index?.Locate(lat, lon);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(_options.File))
            return Task.CompletedTask;
        try
        {
            Load();
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw new InvalidOperationException($"Grids:File: '{_options.File}' could not be loaded: {e.Message}", e);
        }

        var path = Path.GetFullPath(_options.File);
        _reload = new Timer(_ => Reload(), null, Timeout.Infinite, Timeout.Infinite);
        _watcher = new FileSystemWatcher(Path.GetDirectoryName(path)!, Path.GetFileName(path))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName | NotifyFilters.CreationTime,
        };
        // Editors and deploy tools write in several steps: reload once things have settled.
        _watcher.Changed += (_, _) => _reload.Change(ReloadDelay, Timeout.InfiniteTimeSpan);
        _watcher.Created += (_, _) => _reload.Change(ReloadDelay, Timeout.InfiniteTimeSpan);
        _watcher.Renamed += (_, _) => _reload.Change(ReloadDelay, Timeout.InfiniteTimeSpan);
        _watcher.EnableRaisingEvents = true;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (_watcher is not null)
            _watcher.EnableRaisingEvents = false;
        return Task.CompletedTask;
    }

    private void Reload()
    {
        try
        {
            Load();
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            LogReloadFailed(_options.File, e.Message, Count);
        }
    }

    private void Load()
    {
        var index = GridIndex.Load(File.ReadAllText(_options.File), _options.IdProperty, _options.MapCrs);
        foreach (var problem in index.Problems)
            LogFeatureSkipped(_options.File, problem);
        _index = index;
        LogLoaded(index.Count, _options.File, _options.Crs, index.Problems.Count);
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _reload?.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded {Count} grids from {File}, drawn in {Crs} ({Skipped} features skipped)")]
    private partial void LogLoaded(int count, string file, string crs, int skipped);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Grid file {File}: {Problem}; skipped")]
    private partial void LogFeatureSkipped(string file, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "Grid file {File} could not be reloaded ({Reason}); the {Count} grids loaded before stay in force")]
    private partial void LogReloadFailed(string file, string reason, int count);
}
