using Microsoft.Extensions.Options;

namespace Surveillance.Cluster;

/// <summary>Checks the cluster's settings; each problem names its key and what would fix it.</summary>
public sealed class ClusterOptionsValidator : IValidateOptions<ClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterOptions options)
    {
        var failures = Problems(options).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public static IEnumerable<string> Problems(ClusterOptions o)
    {
        if (!o.Enabled)
            yield break;
        if (string.IsNullOrWhiteSpace(o.Redis))
            yield return "Cluster:Redis: is required in a cluster (Orleans' membership table), e.g. 127.0.0.1:6379; or remove Cluster:Postgres to run alone";
        if (string.IsNullOrWhiteSpace(o.Postgres))
            yield return "Cluster:Postgres: is required in a cluster (camera ownership and the shared outbox), e.g. Host=127.0.0.1;Username=surveillance;Password=...;Database=surveillance; or remove Cluster:Redis to run alone";
        else
        {
            string? problem = null;
            try
            {
                _ = new Npgsql.NpgsqlConnectionStringBuilder(o.Postgres);
            }
            catch (ArgumentException e)
            {
                problem = e.Message;
            }
            if (problem is not null)
                yield return $"Cluster:Postgres: is not an Npgsql connection string ({problem})";
        }
        if (string.IsNullOrWhiteSpace(o.ClusterId) || o.ClusterId.Length > 64)
            yield return $"Cluster:ClusterId: must be 1 to 64 characters (was '{o.ClusterId}')";
        if (!System.Net.IPAddress.TryParse(o.AdvertisedAddress, out _))
            yield return $"Cluster:AdvertisedAddress: must be an IP address other nodes can reach (was '{o.AdvertisedAddress}')";
        if (o.SiloPort is < 1 or > 65535)
            yield return $"Cluster:SiloPort: must be between 1 and 65535 (was {o.SiloPort})";
        if (o.Capacity is < 0 or > 100_000)
            yield return $"Cluster:Capacity: must be between 0 (derived from the cores) and 100000 (was {o.Capacity})";
        if (!(o.CoresPerCamera is > 0 and <= 64))
            yield return $"Cluster:CoresPerCamera: must be greater than 0 and at most 64 (was {o.CoresPerCamera})";
        if (o.CheckInterval < TimeSpan.FromMilliseconds(100) || o.CheckInterval > TimeSpan.FromMinutes(1))
            yield return $"Cluster:CheckInterval: must be between 00:00:00.1 and 00:01:00 (was {o.CheckInterval})";
        if (o.ProbeTimeout < TimeSpan.FromMilliseconds(500) || o.ProbeTimeout > TimeSpan.FromMinutes(1))
            yield return $"Cluster:ProbeTimeout: must be between 00:00:00.5 and 00:01:00 (was {o.ProbeTimeout})";
        if (o.MissedProbesLimit is < 1 or > 20)
            yield return $"Cluster:MissedProbesLimit: must be between 1 and 20 (was {o.MissedProbesLimit})";
        if (o.HandoverTimeout < TimeSpan.Zero || o.HandoverTimeout > TimeSpan.FromMinutes(5))
            yield return $"Cluster:HandoverTimeout: must be between 00:00:00 and 00:05:00 (was {o.HandoverTimeout})";
    }
}
