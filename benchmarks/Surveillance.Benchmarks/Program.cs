using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/Surveillance.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Surveillance.Benchmarks.BenchmarkFrames).Assembly).Run(args);
