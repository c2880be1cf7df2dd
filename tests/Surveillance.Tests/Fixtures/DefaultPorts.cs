namespace Surveillance.Tests.Fixtures;

/// <summary>
/// Tests that start the engine through the repository's scripts, on their default ports (HTTP 9464 and up, MQTT 1883:
/// <c>./run.sh</c>, <c>tools/cluster-demo.sh</c>): never two of them at once, whatever the assembly's parallelism.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DefaultPorts
{
    public const string Name = "the scripts' default ports";
}
