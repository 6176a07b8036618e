import NMMCore

/// ν–e event rates for any `NeutrinoSource` (reactor ν̄e, reactor ν_e lines, tritium ν̄e), in
/// counts per kg per keV per day at electron recoil T, SM and MM at μ_ν = 10⁻¹⁰ μ_B (κ = 1).
/// The flavour, and so the SM couplings (seed Eq. 5), follow the source: ν̄e g_A = −½,
/// ν_e g_A = +½, both g_V = 2 sin²θ_W + ½.
///
/// dR/dT = N_e(T) × [SM, MM](M_k(E_min(T))) × 86400 s/day (`ElectronScattering.rates`,
/// `FluxMoments`): for lines this is N_e φ_line dσ/dT(E_line, T) for T < T_max(E_line).
/// For the reactor it agrees with `RateModel` (same moments, same formulas).
public struct ElectronRecoilRates: Sendable {
    public let source: NeutrinoSource
    public let target: TargetMaterial
    public let sin2ThetaW: Double
    public let chargeRadiusX: Double
    public let bindingStep: Bool
    public let response: DetectorResponse?
    public var flavor: NeutrinoFlavor { source.flavor }

    let moments: FluxMoments
    let couplings: WeakCoefficients

    public init(source: NeutrinoSource, target: TargetMaterial, sin2ThetaW: Double = PhysicsConstants.sin2ThetaWDefault,
                chargeRadiusCm2: Double = 0, bindingStep: Bool, response: DetectorResponse? = nil) throws {
        try WeakCoefficients.validate(sin2ThetaW: sin2ThetaW, chargeRadiusCm2: chargeRadiusCm2)
        self.source = source
        self.target = target
        self.sin2ThetaW = sin2ThetaW
        self.bindingStep = bindingStep
        self.response = response
        let x = NeutrinoFlavor.chargeRadiusX(chargeRadiusCm2: chargeRadiusCm2, sin2ThetaW: sin2ThetaW)
        self.chargeRadiusX = x
        self.couplings = WeakCoefficients(flavor: source.flavor, sin2ThetaW: sin2ThetaW, chargeRadiusX: x)
        self.moments = try FluxMoments(source: source)
    }

    /// dR/dT (counts/(kg keV day)) at electron recoil T (keV).
    public func differentialRates(recoilKeV t: Double) -> (smPerKgKeVDay: Double, mmPerKgKeVDay: Double) {
        guard t > 0 else { return (0, 0) }
        let m = moments(Kinematics.minNeutrinoEnergyKeV(electronRecoilKeV: t))
        let (sm, mm) = ElectronScattering.rates(moments: m, recoilKeV: t, couplings: couplings,
                                                muNuInBohrMagnetons: PhysicsConstants.referenceMuNuBohr)
        let perKgDay = target.effectiveElectronsPerKg(recoilKeV: t, bindingStep: bindingStep) * PhysicsConstants.secondsPerDay
        return (max(sm, 0) * perKgDay, max(mm, 0) * perKgDay)
    }

    /// Recoils where dR/dT steps or kinks: the binding edges (with the step model) and the
    /// Compton-like edges T_max(E_line) of the lines.
    public var splitPointsKeV: [Double] {
        (bindingStep ? target.bindingEdgesKeV : [])
            + source.lines.map { Kinematics.maxElectronRecoilKeV(neutrinoEnergyKeV: $0.energyKeV) }
    }

    /// Bin averages (counts/(kg keV day)) over observed-energy bins, folded with the response
    /// exactly as `RateModel.binnedRates` does (`SpectrumFolding`, true recoils ≥ 10 eV).
    public func binnedRates(edgesKeV: [Double]) throws -> (sm: [Double], mm: [Double]) {
        let splits = splitPointsKeV
        let sm = try SpectrumFolding.binAverages(edgesKeV: edgesKeV, response: response,
                                                 minimumTrueEnergyKeV: RateModel.minimumTrueRecoilKeV,
                                                 splitPointsKeV: splits, context: "binning the nu-e SM rate") {
            differentialRates(recoilKeV: $0).smPerKgKeVDay
        }
        let mm = try SpectrumFolding.binAverages(edgesKeV: edgesKeV, response: response,
                                                 minimumTrueEnergyKeV: RateModel.minimumTrueRecoilKeV,
                                                 splitPointsKeV: splits, context: "binning the nu-e MM rate") {
            differentialRates(recoilKeV: $0).mmPerKgKeVDay
        }
        return (sm, mm)
    }
}
