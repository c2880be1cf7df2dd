namespace Surveillance.Cameras.Inventory;

/// <summary>What applying an inventory did to the running cameras.</summary>
public sealed record InventoryChange(int Started, int Stopped, int Restarted, int Failed);
