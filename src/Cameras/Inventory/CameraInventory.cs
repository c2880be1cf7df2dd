namespace Surveillance.Cameras.Inventory;

/// <summary>
/// Every camera of the node: the configuration's cameras, then the camera file's. An id that both have is a
/// problem of the file's record, which is left out: the configuration's camera is kept.
/// </summary>
public sealed class CameraInventory
{
    private CameraInventory(IReadOnlyList<CameraRecord> records, IReadOnlyList<CameraRecordProblem> problems)
    {
        Records = records;
        Problems = problems;
    }

    /// <summary>The configuration's cameras in their order, then the file's in file order; enabled or not.</summary>
    public IReadOnlyList<CameraRecord> Records { get; }

    /// <summary>The file's skipped records: those the file itself rejected and those whose id the configuration has.</summary>
    public IReadOnlyList<CameraRecordProblem> Problems { get; }

    public IEnumerable<CameraRecord> EnabledRecords => Records.Where(r => r.Enabled);

    /// <summary>
    /// This inventory, with the last valid version of each camera whose record is invalid now: a typo in a running
    /// camera's record is reported, and the camera keeps running as it was until the record is fixed or removed.
    /// </summary>
    public CameraInventory KeepingLastValid(CameraInventory previous)
    {
        var ids = new HashSet<string>(Records.Select(r => r.Id), StringComparer.Ordinal);
        var broken = new HashSet<string>(Problems.Where(p => !string.IsNullOrEmpty(p.Id) && !ids.Contains(p.Id!)).Select(p => p.Id!), StringComparer.Ordinal);
        var kept = previous.Records.Where(r => broken.Contains(r.Id)).ToList();
        return kept.Count == 0 ? this : new CameraInventory([.. Records, .. kept], Problems) { Kept = kept };
    }

    /// <summary>Cameras kept at their last valid settings because their record is invalid now.</summary>
    public IReadOnlyList<CameraRecord> Kept { get; private init; } = [];

    public static CameraInventory Combine(IReadOnlyList<CameraRecord> configured, CameraFileLoaded file)
    {
        var configuredIds = new Dictionary<string, CameraOrigin>(StringComparer.Ordinal);
        foreach (var record in configured)
            configuredIds.TryAdd(record.Id, record.Origin);

        var records = new List<CameraRecord>(configured.Count + file.Records.Count);
        records.AddRange(configured);
        var problems = new List<CameraRecordProblem>(file.Problems);
        foreach (var record in file.Records)
        {
            if (configuredIds.TryGetValue(record.Id, out var owner))
                problems.Add(new CameraRecordProblem(record.Origin, record.Id,
                    [$"Id: '{record.Id}' is already the id of the configuration's camera {owner}, which is kept; remove one of them or give this one another id"]));
            else
                records.Add(record);
        }
        problems.Sort((a, b) => a.Index.CompareTo(b.Index));
        return new CameraInventory(records, problems);
    }
}
