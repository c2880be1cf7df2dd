using Surveillance.Alerts.Rules;
using Surveillance.Analytics;
using Surveillance.Ingest;

namespace Surveillance.Cameras.Inventory;

/// <summary>
/// Checks one camera record, whatever its source: its ingest settings, its calibration, its analysis settings,
/// its rules and the labels they name. Each problem is named by its key under <c>key</c>.
/// </summary>
public static class CameraRecordValidator
{
    /// <param name="record">The camera to check.</param>
    /// <param name="key">
    /// The camera's key, e.g. <c>Cameras:0</c>, giving <c>Cameras:0:Url: is required</c>; empty for keys relative
    /// to the record (<c>Url: is required</c>), as a camera-file record's problems are given.
    /// </param>
    public static IEnumerable<string> Validate(CameraRecord record, string key)
    {
        var errors = ValidateAll(record, key);
        // The stages' validators all write "{key}:{setting}"; without a key that leaves a leading delimiter.
        return key.Length == 0 ? errors.Select(e => e.StartsWith(':') ? e[1..] : e) : errors;
    }

    private static IEnumerable<string> ValidateAll(CameraRecord record, string key)
    {
        var camera = record.Camera;
        var errors = CameraOptionsValidator.Validate(camera, key).ToList();
        foreach (var error in errors)
            yield return error;
        if (errors.Count == 0 && camera.Calibration is { } calibration && CheckCalibration(calibration) is { } problem)
            yield return $"{key}:Calibration: {problem}";
        foreach (var error in record.Scene.Validate(key))
            yield return error;
        foreach (var error in ValidateRules(record.Rules, key, camera))
            yield return error;
    }

    private static string? CheckCalibration(CameraCalibrationOptions calibration)
    {
        try
        {
            var projection = CalibrationFit.Project(calibration);
            return projection.RmsErrorMetres > calibration.MaxErrorMetres
                ? $"the reference points are {projection.RmsErrorMetres:0.0} m (RMS) off the fitted ground plane, more than MaxErrorMetres {calibration.MaxErrorMetres}; check the points"
                : null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }

    /// <summary>The rules' own checks, and that every label they name is a class the detector knows.</summary>
    private static IEnumerable<string> ValidateRules(CameraRuleOptions rules, string key, CameraOptions camera)
    {
        foreach (var error in rules.Validate(key, camera.DetectWidth, camera.DetectHeight))
            yield return error;
        for (var r = 0; r < rules.Rules.Count; r++)
        {
            foreach (var label in rules.Rules[r].Labels.Where(l => !string.IsNullOrWhiteSpace(l) && !CocoClasses.TryGetId(l, out _)))
                yield return $"{key}:Rules:{r}:Labels: '{label}' is not a COCO class name (e.g. person, car, truck)";
        }
    }
}
