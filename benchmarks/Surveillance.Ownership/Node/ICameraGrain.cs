namespace Surveillance.Ownership.Node;

/// <summary>A camera's grain: its activation stands for the node running that camera's pipeline.</summary>
public interface ICameraGrain : IGrainWithStringKey
{
    /// <summary>Keeps the camera running (activating it if no node runs it) and says which node runs it.</summary>
    Task<string> Own();
}
