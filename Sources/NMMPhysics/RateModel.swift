import NMMCore

/// Expected ν̄–e (and coherent ν̄–N) event rates in a target exposed to a reactor source,
/// in counts per kg per keV per day, for the Standard Model (SM) and for a magnetic moment
/// μ_ν = 10⁻¹⁰ μ_B (MM, i.e. κ = 1; the MM rate scales as κ).
///
/// dR/dT = N_e(T) × ∫_{E_min(T)}^{E_max} φ(E) dσ/dT(T, E) dE × 86400 s/day (physics.md §1),
/// N_e(T) the electrons per kg free to take the recoil T (all of them without `bindingStep`).
public struct RateModel: Sendable {
    public let source: ReactorSource
    public let target: TargetMaterial
    public let flavor: NeutrinoFlavor
    public let sin2ThetaW: Double
    public let chargeRadiusCm2: Double
    public let bindingStep: Bool
    public let response: DetectorResponse?
    /// x = (2/3) M_W² ⟨r²⟩ sin²θ_W, the shift of g_V.
    public let chargeRadiusX: Double

    let moments: SpectrumMoments
    let couplings: WeakCoefficients

    /// Relative tolerance of the direct (reference) GSL integrals over E_ν.
    public static let directIntegrationRelativeTolerance = 1e-9
    /// μ_ν of the MM rates (10⁻¹⁰ μ_B ⇔ κ = 1).
    public static let referenceMuNuBohr = PhysicsConstants.referenceMuNuBohr

    public init(source: ReactorSource, target: TargetMaterial, flavor: NeutrinoFlavor = .antiNuE,
                sin2ThetaW: Double = PhysicsConstants.sin2ThetaWDefault, chargeRadiusCm2: Double = 0,
                bindingStep: Bool, response: DetectorResponse? = nil) throws {
        try WeakCoefficients.validate(sin2ThetaW: sin2ThetaW, chargeRadiusCm2: chargeRadiusCm2)
        self.source = source
        self.target = target
        self.flavor = flavor
        self.sin2ThetaW = sin2ThetaW
        self.chargeRadiusCm2 = chargeRadiusCm2
        self.bindingStep = bindingStep
        self.response = response
        let x = NeutrinoFlavor.chargeRadiusX(chargeRadiusCm2: chargeRadiusCm2, sin2ThetaW: sin2ThetaW)
        self.chargeRadiusX = x
        self.couplings = WeakCoefficients(flavor: flavor, sin2ThetaW: sin2ThetaW, chargeRadiusX: x)
        self.moments = try SpectrumMoments(source: source)
    }

    /// dR/dT at electron recoil T (keV) by direct GSL integration over E_ν (QAGS, relative
    /// tolerance `directIntegrationRelativeTolerance`, split at the kinks of φ). The reference.
    public func differentialRates(recoilKeV t: Double) throws -> (smPerKgKeVDay: Double, mmPerKgKeVDay: Double) {
        guard t > 0 else { return (0, 0) }
        let keV = PhysicsConstants.keVPerMeV
        let eMin = Kinematics.minNeutrinoEnergyKeV(electronRecoilKeV: t) / keV
        let flavor = flavor, s2 = sin2ThetaW, x = chargeRadiusX, mu = Self.referenceMuNuBohr
        let sm = try integrateOverFlux(from: eMin, context: "SM rate at T = \(t) keV") { e in
            ElectronScattering.standardModel(recoilKeV: t, neutrinoEnergyKeV: e * keV, flavor: flavor,
                                             sin2ThetaW: s2, chargeRadiusX: x)
        }
        let mm = try integrateOverFlux(from: eMin, context: "MM rate at T = \(t) keV") { e in
            ElectronScattering.magneticMoment(recoilKeV: t, neutrinoEnergyKeV: e * keV, muNuInBohrMagnetons: mu)
        }
        let perKgDay = target.effectiveElectronsPerKg(recoilKeV: t, bindingStep: bindingStep) * PhysicsConstants.secondsPerDay
        return (sm * perKgDay, mm * perKgDay)
    }

    /// dR/dT at electron recoil T (keV) from the tabulated spectrum moments (fast; agrees
    /// with `differentialRates` to < 10⁻⁸ relative, see `SpectrumMoments`): with M_k = ∫_{E_min} φ E^(−k) dE,
    /// SM = K_w [(g_V+g_A)² M₀ + (g_V−g_A)² (M₀ − 2T M₁ + T² M₂) + (g_A²−g_V²) m_e T M₂],
    /// MM = (πα²/m_e²) μ_ν² (M₀/T − M₁).
    public func tabulatedDifferentialRates(recoilKeV t: Double) -> (smPerKgKeVDay: Double, mmPerKgKeVDay: Double) {
        guard t > 0 else { return (0, 0) }
        let m = moments(Kinematics.minNeutrinoEnergyKeV(electronRecoilKeV: t))
        let (sm, mm) = ElectronScattering.rates(moments: m, recoilKeV: t, couplings: couplings, muNuInBohrMagnetons: Self.referenceMuNuBohr)
        let perKgDay = target.effectiveElectronsPerKg(recoilKeV: t, bindingStep: bindingStep) * PhysicsConstants.secondsPerDay
        return (max(sm, 0) * perKgDay, max(mm, 0) * perKgDay)
    }

    /// Coherent ν̄–nucleus rates at nuclear recoil T_N (keV), seed Eqs. 8 and 9, summed over
    /// the target's isotopes with the Helm form factor, unquenched: `CoherentRates` for this
    /// source and target (see there for E_ee, quenching and binning).
    public func coherentRates(nuclearRecoilKeV t: Double) throws -> (smPerKgKeVDay: Double, mmPerKgKeVDay: Double) {
        try CoherentRates(source: .reactor(source), target: target, quenching: .unquenched, sin2ThetaW: sin2ThetaW)
            .nuclearRecoilRates(nuclearRecoilKeV: t)
    }

    /// ∫_{eMin}^{E_max} φ(E) σ(E) dE with E in MeV and φ per MeV, split at the kinks of φ.
    private func integrateOverFlux(from eMin: Double, context: String, _ sigma: @escaping (Double) -> Double) throws -> Double {
        let eMax = source.maxEnergyMeV
        guard eMin < eMax else { return 0 }
        let cuts = [eMin] + source.kinksMeV.filter { $0 > eMin && $0 < eMax }.sorted() + [eMax]
        let integrator = Integrator(relativeTolerance: Self.directIntegrationRelativeTolerance)
        let source = source
        var total = 0.0
        for i in 0..<(cuts.count - 1) {
            total += try integrator.integrate(cuts[i], cuts[i + 1], context: context) { e in
                source.fluxPerCm2PerSPerMeV(energyMeV: e) * sigma(e)
            }.value
        }
        return total
    }
}
