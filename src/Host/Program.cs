return await Surveillance.Host.EngineHost.RunAsync(args).ConfigureAwait(false);
