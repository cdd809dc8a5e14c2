namespace NodiRef.Admin.Features.Conversions;

/// <summary>Wakes the conversion processor as soon as a conversion is recorded in this instance.</summary>
public sealed class ConversionSignal(TimeProvider clock) : WakeSignal(clock);
