import NMMCore

/// Coherent ν–nucleus (CEvNS) event rates for any `NeutrinoSource` and target, SM (seed Eq. 8)
/// and MM at μ_ν = 10⁻¹⁰ μ_B (Eq. 9, κ = 1), in counts per kg per keV per day:
///
/// - per nuclear recoil T_N: Σ over every isotope of every element (`NaturalIsotopes`),
///   nuclei/kg × ∫ φ dσ/dT_N dE (from the flux moments, `CoherentScattering.rates`), with the
///   Helm F² of that isotope (`useFormFactor`, default on);
/// - per electron-equivalent energy E_ee (what a detector sees): for each element,
///   dR/dE_ee = dR/dT_N(T_N(E_ee)) · dT_N/dE_ee with the quenching model (`QuenchingModel`,
///   applied to every element of the target with that element's Z);
/// - per observed bin: folded with the response exactly like the ν–e templates
///   (`SpectrumFolding`), true E_ee from `minimumElectronEquivalentKeV` up.
///
/// Eq. 9 is for spin-zero nuclei; ⁷³Ge (spin 9/2, 7.75 %) is treated like the others (its
/// spin-dependent magnetic term is suppressed by the nuclear magneton and neglected).
public struct CoherentRates: Sendable {
    /// One isotope of the target with its nuclei per kg.
    public struct Nucleus: Sendable {
        public let isotope: Isotope
        public let nucleiPerKg: Double
    }

    public let source: NeutrinoSource
    public let target: TargetMaterial
    public let sin2ThetaW: Double
    public let quenching: QuenchingModel
    public let useFormFactor: Bool
    public let response: DetectorResponse?
    /// Lowest true E_ee (keV) folded into bins: 10 eV, as for the ν–e templates
    /// (`RateModel.minimumTrueRecoilKeV`). The MM rate grows like 1/T_N, so some cut is needed.
    public let minimumElectronEquivalentKeV: Double
    /// Every isotope of the target, grouped by element in the target's order.
    public let nuclei: [Nucleus]

    let moments: FluxMoments

    public init(source: NeutrinoSource, target: TargetMaterial, quenching: QuenchingModel,
                sin2ThetaW: Double = PhysicsConstants.sin2ThetaWDefault, useFormFactor: Bool = true,
                response: DetectorResponse? = nil,
                minimumElectronEquivalentKeV: Double = RateModel.minimumTrueRecoilKeV) throws {
        guard sin2ThetaW.isFinite, sin2ThetaW > 0, sin2ThetaW < 1 else {
            throw PhysicsError(.invalidValue, field: "sin2ThetaW", "must lie in (0, 1), got \(sin2ThetaW)")
        }
        guard minimumElectronEquivalentKeV.isFinite, minimumElectronEquivalentKeV > 0 else {
            throw PhysicsError(.invalidValue, field: "minimumElectronEquivalentKeV", "must be > 0, got \(minimumElectronEquivalentKeV)")
        }
        self.source = source
        self.target = target
        self.quenching = try quenching.validated()
        self.sin2ThetaW = sin2ThetaW
        self.useFormFactor = useFormFactor
        self.response = response
        self.minimumElectronEquivalentKeV = minimumElectronEquivalentKeV
        self.nuclei = target.components.flatMap { c in
            c.element.isotopes.map { Nucleus(isotope: $0, nucleiPerKg: c.nucleiPerKg * $0.abundance) }
        }
        self.moments = try FluxMoments(source: source)
    }

    /// dR/dT_N (counts/(kg keV_nr day)) at nuclear recoil T_N (keV) of the nuclei of atomic
    /// number `atomicNumber` (all elements when nil).
    public func nuclearRecoilRates(nuclearRecoilKeV t: Double, atomicNumber: Int? = nil)
        -> (smPerKgKeVDay: Double, mmPerKgKeVDay: Double) {
        guard t > 0 else { return (0, 0) }
        var sm = 0.0, mm = 0.0
        for n in nuclei where atomicNumber == nil || n.isotope.atomicNumber == atomicNumber {
            let iso = n.isotope, mass = iso.nucleusMassKeV
            let f = useFormFactor ? HelmFormFactor.formFactor(nuclearRecoilKeV: t, nucleusMassKeV: mass, massNumber: iso.helmMassNumber) : 1
            let m = moments(Kinematics.minNeutrinoEnergyForNuclearRecoilKeV(nuclearRecoilKeV: t, nucleusMassKeV: mass))
            let r = CoherentScattering.rates(moments: m, nuclearRecoilKeV: t, Z: Double(iso.atomicNumber), N: iso.neutronNumber,
                                             nucleusMassKeV: mass, sin2ThetaW: sin2ThetaW,
                                             muNuInBohrMagnetons: PhysicsConstants.referenceMuNuBohr, formFactorSquared: f * f)
            sm += n.nucleiPerKg * r.sm
            mm += n.nucleiPerKg * r.mm
        }
        let day = PhysicsConstants.secondsPerDay
        return (sm * day, mm * day)
    }

    /// dR/dE_ee (counts/(kg keV_ee day)) at electron-equivalent energy E_ee (keV).
    public func differentialRates(electronEquivalentKeV e: Double) -> (smPerKgKeVDay: Double, mmPerKgKeVDay: Double) {
        guard e > 0 else { return (0, 0) }
        var sm = 0.0, mm = 0.0
        for z in atomicNumbers {
            let t = quenching.nuclearRecoilKeV(electronEquivalentKeV: e, atomicNumber: z)
            let jacobian = quenching.jacobian(nuclearRecoilKeV: t, atomicNumber: z)
            let r = nuclearRecoilRates(nuclearRecoilKeV: t, atomicNumber: z)
            sm += r.smPerKgKeVDay * jacobian
            mm += r.mmPerKgKeVDay * jacobian
        }
        return (sm, mm)
    }

    /// Average SM and MM rates over observed E_ee bins (counts/(kg keV_ee day)), folded with
    /// the response like `RateModel.binnedRates`; split at the E_ee of each isotope's T_N,max
    /// for each line and for the end of the continuous spectrum, where the rate has a step
    /// or a kink (without these splits QAGS can fail there on the Gaussian-folded integrand).
    public func binnedRates(edgesKeV: [Double]) throws -> (sm: [Double], mm: [Double]) {
        let splits = maximumElectronEquivalentKeVOfLines + maximumElectronEquivalentKeVOfSpectrumEnd
        let sm = try SpectrumFolding.binAverages(edgesKeV: edgesKeV, response: response,
                                                 minimumTrueEnergyKeV: minimumElectronEquivalentKeV,
                                                 splitPointsKeV: splits, context: "binning the coherent SM rate") {
            differentialRates(electronEquivalentKeV: $0).smPerKgKeVDay
        }
        let mm = try SpectrumFolding.binAverages(edgesKeV: edgesKeV, response: response,
                                                 minimumTrueEnergyKeV: minimumElectronEquivalentKeV,
                                                 splitPointsKeV: splits, context: "binning the coherent MM rate") {
            differentialRates(electronEquivalentKeV: $0).mmPerKgKeVDay
        }
        return (sm, mm)
    }

    /// The distinct atomic numbers of the target, in order.
    public var atomicNumbers: [Int] {
        var seen: [Int] = []
        for n in nuclei where !seen.contains(n.isotope.atomicNumber) { seen.append(n.isotope.atomicNumber) }
        return seen
    }

    /// E_ee (keV) of T_N,max(E_line) for every line and isotope: where the spectrum has a step.
    var maximumElectronEquivalentKeVOfLines: [Double] {
        source.lines.flatMap { maximumElectronEquivalentKeV(neutrinoEnergyKeV: $0.energyKeV) }
    }

    /// E_ee (keV) of T_N,max at the highest neutrino energy of the source, for every isotope:
    /// where the rate of a continuous spectrum ends (with a kink, the spectrum being cut there).
    var maximumElectronEquivalentKeVOfSpectrumEnd: [Double] {
        source.maxEnergyKeV > 0 ? maximumElectronEquivalentKeV(neutrinoEnergyKeV: source.maxEnergyKeV) : []
    }

    private func maximumElectronEquivalentKeV(neutrinoEnergyKeV e: Double) -> [Double] {
        nuclei.map { n in
            quenching.electronEquivalentKeV(
                nuclearRecoilKeV: Kinematics.maxNuclearRecoilKeV(neutrinoEnergyKeV: e, nucleusMassKeV: n.isotope.nucleusMassKeV),
                atomicNumber: n.isotope.atomicNumber)
        }
    }
}
