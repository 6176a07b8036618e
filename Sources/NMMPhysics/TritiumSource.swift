/// A tritium β⁻ source, ³H → ³He e⁻ ν̄e (seed §5: MAMMONT, 40 MCi ≈ 4 kg, 6×10¹⁴ cm⁻² s⁻¹).
///
/// Spectrum: the allowed shape with the point-nucleus Fermi function (`AllowedBetaDecay`,
/// daughter Z = 2, A = 3), one ν̄e per decay, endpoint Q = 18.591 keV (the brief's value; the
/// ³H–³He atomic mass difference is 18.592 keV, Myers et al., PRL 114 (2015) 013003, and the
/// nuclear recoil takes ≈ 3 eV of it). The ν̄e spectrum vanishes like E_ν² at E_ν → 0 (the
/// electron's endpoint) and is finite at E_ν → Q (electron at rest: p·F(Z, W) → 2παZ·W for
/// β⁻), where it is in fact largest.
/// Flux: a point source of activity A at distance L gives φ = A / 4πL² (one ν̄e per decay),
/// or a total flux is given directly.
public struct TritiumSource: Sendable {
    /// ν̄e endpoint (keV): the brief's value, see the type documentation.
    public static let defaultEndpointKeV = 18.591
    /// 1 Ci = 3.7×10¹⁰ Bq (exact, by definition).
    public static let becquerelPerCurie = 3.7e10
    /// The shape approximation, one line for output headers.
    public static let shapeNote = "allowed beta shape, point-nucleus Fermi function (Z=2, A=3), no radiative or screening corrections"

    public let decay: AllowedBetaDecay
    public let totalFluxPerCm2PerS: Double
    public let activityBq: Double?
    public let distanceM: Double?

    public var endpointKeV: Double { decay.endpointMeV * PhysicsConstants.keVPerMeV }

    /// A point source of `activityBq` decays per second at `distanceM` from the detector.
    public init(activityBq: Double, distanceM: Double, endpointKeV: Double = defaultEndpointKeV) throws {
        guard activityBq.isFinite, activityBq > 0 else {
            throw PhysicsError(.invalidValue, field: "activityBq", "must be a positive number, got \(activityBq)")
        }
        guard distanceM.isFinite, distanceM > 0 else {
            throw PhysicsError(.invalidValue, field: "distanceM", "must be a positive number, got \(distanceM)")
        }
        let cm = distanceM * PhysicsConstants.cmPerM
        try self.init(flux: activityBq / (4 * Double.pi * cm * cm), endpointKeV: endpointKeV, activityBq: activityBq, distanceM: distanceM)
    }

    /// A source of the given total ν̄e flux at the detector (cm⁻² s⁻¹).
    public init(totalFluxPerCm2PerS: Double, endpointKeV: Double = defaultEndpointKeV) throws {
        try self.init(flux: totalFluxPerCm2PerS, endpointKeV: endpointKeV, activityBq: nil, distanceM: nil)
    }

    private init(flux: Double, endpointKeV: Double, activityBq: Double?, distanceM: Double?) throws {
        guard flux.isFinite, flux > 0 else {
            throw PhysicsError(.invalidValue, field: "totalFluxPerCm2PerS", "must be a positive number, got \(flux)")
        }
        guard endpointKeV.isFinite, endpointKeV > 0 else {
            throw PhysicsError(.invalidValue, field: "endpointKeV", "must be > 0, got \(endpointKeV)")
        }
        self.decay = try AllowedBetaDecay(name: "H3", endpointMeV: endpointKeV / PhysicsConstants.keVPerMeV, daughterZ: 2, massNumber: 3)
        self.totalFluxPerCm2PerS = flux
        self.activityBq = activityBq
        self.distanceM = distanceM
    }

    /// dφ/dE at the detector (cm⁻² s⁻¹ keV⁻¹), E in keV; 0 outside (0, Q).
    public func fluxPerCm2PerSPerKeV(energyKeV e: Double) -> Double {
        totalFluxPerCm2PerS * decay.perMeVPerDecay(energyMeV: e / PhysicsConstants.keVPerMeV) / PhysicsConstants.keVPerMeV
    }
}
