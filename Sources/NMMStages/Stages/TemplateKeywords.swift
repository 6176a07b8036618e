import NMMCore
import NMMStatistics
import NMMPhysics

/// The physics inputs of templates.fits as primary-header keywords: target, flavour and
/// couplings; the source (its kind, a one-line summary and its parameters: the reactor core,
/// the lines' yield and split, the tritium activity and distance); the coherent samples
/// (on or off, quenching model and k, form factor, lowest E_ee folded in); the response.
enum TemplateKeywords {
    static func all(config: AnalysisConfig, model: SampleModel) throws -> [FITSKeyword] {
        var k: [FITSKeyword] = [
            FITSKeyword("TARGET", .string(config.detector.target), "target material"),
            FITSKeyword("FLAVOR", .string(config.flavor.rawValue), "neutrino flavour"),
            FITSKeyword("SIN2W", .double(PhysicsSetup.sin2ThetaW(config)), "sin^2 theta_W"),
            FITSKeyword("CHRADCM2", .double(config.chargeRadiusCm2), "[cm2] neutrino charge radius <r^2>"),
            FITSKeyword("BINDSTEP", .bool(config.bindingStep), "atomic binding step approximation"),
        ]
        if config.reactor != nil {
            let core = try PhysicsSetup.reactorSource(config)
            k += [
                FITSKeyword("NUPERFIS", .double(core.neutrinosPerFission), "anti-nu_e per fission incl. captures"),
                FITSKeyword("CAPTURES", .double(PhysicsSetup.capturesPerFission(config)), "238U(n,g) captures per fission"),
            ]
        }
        k += [
            FITSKeyword("MUREF", .double(RateModel.referenceMuNuBohr), "[mu_B] mu_nu of the MM column (kappa = 1)"),
            FITSKeyword("INTRTOL", .double(RateModel.directIntegrationRelativeTolerance), "relative tolerance of rate integrals"),
        ]
        if let reactor = config.reactor {
            k.append(FITSKeyword("LOWETRT", .string(ReactorSource.lowEnergyTreatment), "spectrum below 2 MeV"))
            if let p = reactor.thermalPowerMW { k.append(FITSKeyword("POWERMW", .double(p), "[MW] thermal power")) }
            if let d = reactor.distanceM { k.append(FITSKeyword("DISTM", .double(d), "[m] core-detector distance")) }
            for iso in FissionIsotope.allCases {
                let f = reactor.fissionFractions[iso.rawValue] ?? 0
                k.append(FITSKeyword("FF_\(iso.rawValue.uppercased())", .double(f), "fission fraction \(iso.rawValue)"))
            }
        }
        if let r = config.detector.resolution {
            k += [FITSKeyword("RES_A", .double(r.aKeV), "[keV] resolution a"),
                  FITSKeyword("RES_B", .double(r.bKeV), "[keV] resolution b"),
                  FITSKeyword("RES_C", .double(r.c), "resolution c")]
        }
        return k + source(model.source) + coherent(config, model.coherent)
    }

    /// SRCKIND, SOURCE and the parameters of a line or tritium source.
    static func source(_ source: NeutrinoSource) -> [FITSKeyword] {
        var k = [
            FITSKeyword("SRCKIND", .string(source.kind.rawValue), "neutrino source (source.kind)"),
            FITSKeyword("SOURCE", .string(source.summary), "neutrino source summary"),
        ]
        switch source {
        case .reactor:
            break
        case .reactorLines(let s):
            if let n = s.neutrinosPerFission { k.append(FITSKeyword("NUEPERF", .double(n), "nu_e per fission from the lines")) }
            k.append(FITSKeyword("CRSHARE", .double(s.chromiumShare), "Cr51 (747 keV) share of the line flux"))
        case .tritium(let s):
            if let a = s.activityBq { k.append(FITSKeyword("ACTBQ", .double(a), "[Bq] tritium activity")) }
            if let d = s.distanceM { k.append(FITSKeyword("SRCDISTM", .double(d), "[m] source-detector distance")) }
            k.append(FITSKeyword("ENDPTKEV", .double(s.endpointKeV), "[keV] anti-nu_e endpoint"))
        }
        return k
    }

    /// COHERENT and, when on, the quenching model, k, form factor and lowest E_ee.
    static func coherent(_ config: AnalysisConfig, _ rates: CoherentRates?) -> [FITSKeyword] {
        var k = [FITSKeyword("COHERENT", .bool(rates != nil), "coherent nu-N samples in SM and MM")]
        guard let rates else { return k }
        k.append(FITSKeyword("QUENCH", .string(rates.quenching.kind.rawValue), "quenching model (table: QUENCH extension)"))
        if case .lindhard(let kk) = rates.quenching { k.append(FITSKeyword("QUENCHK", .double(kk), "Lindhard k")) }
        k += [
            FITSKeyword("FORMFAC", .bool(rates.useFormFactor), "Helm nuclear form factor"),
            FITSKeyword("EEMINKEV", .double(rates.minimumElectronEquivalentKeV), "[keV] lowest true E_ee folded in"),
        ]
        return k
    }
}
