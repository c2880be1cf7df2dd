using System.Text.Json.Nodes;
using Surveillance.Alerts.Rules;
using Surveillance.Analytics.Scene;
using Surveillance.Ingest;

namespace Surveillance.Cameras.Inventory;

/// <summary>
/// One camera of the inventory, from configuration (<c>Cameras:N:*</c>) or from the camera file: its settings
/// for the three stages that know nothing of each other, ingest (<see cref="Camera"/>), analysis
/// (<see cref="Scene"/>) and rules (<see cref="Rules"/>), whether it runs, and where it came from.
/// The settings are taken as they are at construction: <see cref="Fingerprint"/> is computed then, so they
/// must not be changed afterwards.
/// </summary>
public sealed class CameraRecord
{
    public CameraRecord(CameraOptions camera, SceneOptions scene, CameraRuleOptions rules, bool enabled, CameraOrigin origin)
        : this(camera, scene, rules, enabled, origin, CameraRecordJson.Settings(camera, scene, rules).ToJsonString())
    {
    }

    private CameraRecord(CameraOptions camera, SceneOptions scene, CameraRuleOptions rules, bool enabled, CameraOrigin origin, string fingerprint)
    {
        Camera = camera;
        Scene = scene;
        Rules = rules;
        Enabled = enabled;
        Origin = origin;
        Fingerprint = fingerprint;
    }

    public string Id => Camera.Id;

    /// <summary>Whether the camera is decoded and analysed; a disabled camera is kept (and checked) but not run.</summary>
    public bool Enabled { get; }

    public CameraOptions Camera { get; }

    public SceneOptions Scene { get; }

    public CameraRuleOptions Rules { get; }

    public CameraOrigin Origin { get; }

    /// <summary>
    /// The settings as compact canonical JSON: equal for two records exactly when their settings are equal,
    /// however they were spelt (key case, <c>5</c> or <c>5.0</c>, a default written out or left out).
    /// <see cref="Enabled"/> is not part of it, so that switching a camera off and on again is not a change of
    /// its settings; compare <see cref="Enabled"/> separately.
    /// </summary>
    public string Fingerprint { get; }

    /// <summary>
    /// The record as an element of the camera file: the keys of <c>Cameras:N:*</c> that differ from their
    /// defaults, <c>Id</c> and <c>Enabled</c> first. A new object on every call, so the caller may change it.
    /// </summary>
    public JsonObject Json
    {
        get
        {
            var json = JsonNode.Parse(Fingerprint)!.AsObject();
            json.Insert(json.ContainsKey(nameof(CameraOptions.Id)) ? 1 : 0, CameraRecordBinder.EnabledKey, Enabled);
            return json;
        }
    }

    /// <summary>The same camera switched on or off; the settings (and so the fingerprint) are shared.</summary>
    public CameraRecord WithEnabled(bool enabled) =>
        enabled == Enabled ? this : new CameraRecord(Camera, Scene, Rules, enabled, Origin, Fingerprint);

    public override string ToString() => $"{Origin} (id '{Id}')";
}
