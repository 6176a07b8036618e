/// Reactor ν_e lines (seed §4.3; physics.md §9): neutron capture on ⁵⁰Cr and ⁵⁴Fe in the
/// stainless steel of the core makes ⁵¹Cr and ⁵⁵Fe, which decay by electron capture with
/// monoenergetic ν_e of 747 keV (⁵¹Cr, T½ 27.7 d) and 231 keV (⁵⁵Fe, T½ 2.7 y), together
/// ≈ 8.3×10⁻⁴ ν_e per fission (seed, from TEXONO's neutron-transport simulation).
///
/// The split between the two lines is not in our sources (physics.md §9): `chromiumShare`
/// (default ½, an assumption) is the ⁵¹Cr fraction. The ν_e–e MM rate for T ≪ T_max depends
/// only on the total flux (dσ/dT → πα²μ²/(m_e² T)), so the split matters at recoils
/// approaching T_max(231 keV) = 110 keV and T_max(747 keV) = 557 keV. ⁵¹Cr's 10 % branch to
/// the 320 keV level (a 427 keV ν_e line) is not in the seed's description and is left out.
public struct ReactorLineSource: Sendable {
    /// ⁵¹Cr line energy (keV), seed §4.3.
    public static let chromium51LineKeV = 747.0
    /// ⁵⁵Fe line energy (keV), seed §4.3.
    public static let iron55LineKeV = 231.0
    /// ν_e per fission from both lines, seed §4.3 ("about 8.3×10⁻⁴").
    public static let defaultNeutrinosPerFission = 8.3e-4
    /// Default ⁵¹Cr share of the lines (assumption: equal split, physics.md §9).
    public static let defaultChromiumShare = 0.5
    /// The split assumption, one line for output headers.
    public static var splitAssumption: String {
        "Cr51/Fe55 split is an assumption (default \(defaultChromiumShare) Cr51), not a published number"
    }

    public let totalFluxPerCm2PerS: Double
    public let chromiumShare: Double
    public let neutrinosPerFission: Double?

    /// Lines for a reactor core: flux = fissions per cm² per s at the detector × ν_e per fission.
    public init(reactor: ReactorSource, neutrinosPerFission: Double = defaultNeutrinosPerFission,
                chromiumShare: Double = defaultChromiumShare) throws {
        guard neutrinosPerFission.isFinite, neutrinosPerFission > 0 else {
            throw PhysicsError(.invalidValue, field: "neutrinosPerFission", "must be > 0, got \(neutrinosPerFission)")
        }
        try self.init(flux: reactor.fissionDensityPerCm2PerS * neutrinosPerFission, chromiumShare: chromiumShare,
                      neutrinosPerFission: neutrinosPerFission)
    }

    /// Lines of a given total ν_e flux (cm⁻² s⁻¹).
    public init(totalFluxPerCm2PerS: Double, chromiumShare: Double = defaultChromiumShare) throws {
        try self.init(flux: totalFluxPerCm2PerS, chromiumShare: chromiumShare, neutrinosPerFission: nil)
    }

    private init(flux: Double, chromiumShare: Double, neutrinosPerFission: Double?) throws {
        guard flux.isFinite, flux > 0 else {
            throw PhysicsError(.invalidValue, field: "totalFluxPerCm2PerS", "must be a positive number, got \(flux)")
        }
        guard chromiumShare.isFinite, chromiumShare >= 0, chromiumShare <= 1 else {
            throw PhysicsError(.invalidValue, field: "chromiumShare", "must lie in [0, 1], got \(chromiumShare)")
        }
        self.totalFluxPerCm2PerS = flux
        self.chromiumShare = chromiumShare
        self.neutrinosPerFission = neutrinosPerFission
    }

    /// The two lines (a line of zero flux is left out).
    public var lines: [NeutrinoLine] {
        [NeutrinoLine(name: "Cr51", energyKeV: Self.chromium51LineKeV, fluxPerCm2PerS: chromiumShare * totalFluxPerCm2PerS),
         NeutrinoLine(name: "Fe55", energyKeV: Self.iron55LineKeV, fluxPerCm2PerS: (1 - chromiumShare) * totalFluxPerCm2PerS)]
            .filter { $0.fluxPerCm2PerS > 0 }
    }
}
