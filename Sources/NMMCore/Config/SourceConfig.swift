/// The `source` section: which neutrinos reach the detector (`SourceKind`) and how many.
/// Keys not used by the chosen kind are refused (ConfigValidation+Source.swift).
public struct SourceConfig: Codable, Equatable, Sendable {
    /// reactor (the `reactor` section's ν̄e spectrum), reactor-lines (its ⁵¹Cr/⁵⁵Fe ν_e lines)
    /// or tritium (a β⁻ source).
    public var kind: SourceKind
    /// reactor-lines: ν_e per fission from both lines (default 8.3e-4, seed §4.3), times the
    /// fissions per cm² per s of the `reactor` section.
    public var neutrinosPerFission: Double?
    /// reactor-lines: the ⁵¹Cr (747 keV) share of the line flux, the rest ⁵⁵Fe (231 keV);
    /// default 0.5, an assumption (the split is not in our sources, physics.md §9).
    public var chromiumShare: Double?
    /// tritium: source activity in curies (1 Ci = 3.7e10 Bq), with `distanceM`.
    public var activityCi: Double?
    /// tritium: distance from a point source to the detector (m).
    public var distanceM: Double?
    /// reactor-lines or tritium: the total flux at the detector (cm⁻² s⁻¹) instead of
    /// reactor × neutrinosPerFission (lines) or activityCi and distanceM (tritium).
    public var totalFluxPerCm2PerS: Double?
    /// tritium: the ν̄e endpoint (keV), default 18.591.
    public var endpointKeV: Double?
}

/// The `coherent` section: coherent ν–nucleus scattering (CEvNS) of the source on every
/// isotope of the target, seed Eqs. 8 (SM) and 9 (MM), seen in electron-equivalent energy.
/// Its SM rate joins the SM template, its MM rate (κ-scaled) the MM template.
public struct CoherentConfig: Codable, Equatable, Sendable {
    /// Include the coherent samples (default true when the section is present).
    public var enabled: Bool?
    /// The Helm nuclear form factor (default true; Lewin & Smith 1996).
    public var formFactor: Bool?
    /// E_ee = Y(T_N)·T_N; required, since the Ge quenching below 1 keV_nr is disputed.
    public var quenching: QuenchingConfig
}

public struct QuenchingConfig: Codable, Equatable, Sendable {
    /// none (Y = 1), lindhard (with `k`) or table (with `table`).
    public var model: QuenchingKind
    /// Lindhard k (e.g. 0.162, TEXONO; 0.157 from k = 0.133 Z^(2/3) A^(-1/2) for Ge).
    public var k: Double?
    /// [[nuclearRecoilKeV, yield], ...] with increasing energies, 0 < yield ≤ 1.
    public var table: [[Double]]?
}
