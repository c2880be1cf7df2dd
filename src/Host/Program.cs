using Surveillance.Host.Commands;

// Commands that work on files and exit, before any of the engine is built.
if (args is ["cameras", "import-csv", .. var rest])
    return ImportCsvCommand.Run(rest, Console.Out, Console.Error);
if (args is ["cameras", ..])
{
    Console.Error.WriteLine(ImportCsvCommand.Usage);
    return ImportCsvCommand.Unusable;
}
if (args is ["track", .. var trackArgs])
    return await TrackCommand.RunAsync(trackArgs, Console.Out, Console.Error).ConfigureAwait(false);
if (args is ["score", .. var scoreArgs])
    return ScoreCommand.Run(scoreArgs, Console.Out, Console.Error);
if (args is ["calibrate", .. var calibrateArgs])
    return CalibrateCommand.Run(calibrateArgs, Console.Out, Console.Error);

return await Surveillance.Host.EngineHost.RunAsync(args).ConfigureAwait(false);
