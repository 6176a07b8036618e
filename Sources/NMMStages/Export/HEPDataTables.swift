import Foundation
import NMMCore
import NMMStatistics

/// The tables of nmm's HEPData record, from the five stage files the report reads.
extension HEPDataRecord {
    static let rateUnit = "counts/(kg keV day)"
    static let kappaUnit = "10^-20 mu_B^2"
    static let muUnit = "mu_B"

    init(_ inputs: ReportInputs, config: AnalysisConfig) {
        let common = Self.qualifiers(inputs, config: config)
        let limit = inputs.limit, fit = inputs.fit
        let cl = Self.qualifier("CL", .number(limit.confidenceLevel))
        let method = Self.qualifier("Method", .string("Feldman-Cousins, \(Self.construction(limit))"))
        let fitMethod = Self.qualifier("Fit", .string(fit.method == .poisson ? "joint Poisson ON/OFF likelihood" : "chi2 of the ON - OFF residual"))
        var tables = [Self.spectra(inputs, common), Self.residual(inputs, common), Self.curves(inputs, common + [fitMethod]),
                      Self.profile(inputs, common + [fitMethod]), Self.belt(inputs, common + [cl, method]),
                      Self.limitTable(inputs, common + [cl, method, fitMethod])]
        if let s = limit.sensitivity, !s.kappaUpper.isEmpty { tables.append(Self.expected(s, common + [cl, method])) }
        comment = "nmm analysis '\(config.experiment)': reactor ON/OFF spectra, the magnetic-moment fit and its Feldman-Cousins limit. "
            + (config.description.map { $0 + " " } ?? "")
            + "kappa = mu_nu^2 in units of 10^-20 mu_B^2 (kappa = 1 <=> mu_nu = 1e-10 mu_B). Written by nmm export --format hepdata."
        self.tables = tables
    }

    static func construction(_ l: LimitProduct) -> String {
        switch l.method {
        case .gaussian: "Gaussian belt"
        case .toys: "toy Neyman construction (\(l.statistic?.rawValue ?? "chi2") statistic, seed \(l.seed))"
        }
    }

    /// Experiment, reactor and detector: what every table's numbers belong to.
    static func qualifiers(_ inputs: ReportInputs, config: AnalysisConfig) -> [YAMLValue] {
        var q = [qualifier("Experiment", .string(config.experiment)),
                 qualifier("Detector", .string(config.detector.target)),
                 qualifier("Detector mass", .number(config.detector.massKg), units: "kg")]
        if let p = config.reactor?.thermalPowerMW { q.append(qualifier("Reactor thermal power", .number(p), units: "MW")) }
        if let d = config.reactor?.distanceM { q.append(qualifier("Reactor distance", .number(d), units: "m")) }
        q.append(qualifier("Neutrino source", .string(config.sourceKind.rawValue)))
        q.append(qualifier("Neutrino flux", .number(inputs.templates.totalFluxPerCm2PerS), units: "cm^-2 s^-1"))
        return q
    }

    static func spectra(_ inputs: ReportInputs, _ common: [YAMLValue]) -> Table {
        let s = inputs.spectra
        func side(_ name: String, _ r: RawSpectrum, exposure: Double) -> YAMLValue {
            variable("\(name) counts", units: "counts",
                     qualifiers: common + [qualifier("Reactor", .string(name)), qualifier("Live time", .number(r.liveTimeDays), units: "day"),
                                           qualifier("Exposure", .number(exposure), units: "kg day")],
                     values: r.counts, errors: r.counts.map { $0.squareRoot() })
        }
        return Table(name: "ON and OFF spectra", description: "Measured counts per energy bin with the reactor ON and OFF (errors: sqrt(N)).",
                     file: "spectra.yaml", observables: ["N"], independent: [bins(s.on.energyLowKeV, s.on.energyHighKeV)],
                     dependent: [side("ON", s.on, exposure: s.onExposureKgDay), side("OFF", s.off, exposure: s.offExposureKgDay)])
    }

    static func residual(_ inputs: ReportInputs, _ common: [YAMLValue]) -> Table {
        let r = inputs.residual
        return Table(name: "ON - OFF residual", description: "ON - OFF count rate per bin in the analysis window with its error; bins with 'Fitted' = 0 are masked and not fitted.",
                     file: "residual.yaml", observables: ["DN/DT"], independent: [bins(r.energyLowKeV, r.energyHighKeV)],
                     dependent: [variable("ON - OFF rate", units: rateUnit, qualifiers: common, values: r.rate, errors: r.rateError),
                                 variable("Fitted", units: nil, qualifiers: common, values: r.used.map { $0 ? 1 : 0 })])
    }

    static func curves(_ inputs: ReportInputs, _ common: [YAMLValue]) -> Table {
        let t = inputs.templates, fit = inputs.fit, limit = inputs.limit
        let kappaHat = qualifier("kappa best fit", .number(fit.kappa), units: kappaUnit)
        return Table(name: "Fitted SM and MM spectra",
                     description: "Expected rates per bin: the Standard-Model (SM) expectation, the magnetic-moment (MM) rate at kappa = 1, the best fit (fitted normalisations and kappa-hat times MM, plus any fitted residual background) and SM + MM at the upper limit.",
                     file: "curves.yaml", observables: ["DN/DT"], independent: [bins(t.energyLowKeV, t.energyHighKeV)],
                     dependent: [variable("SM expectation", units: rateUnit, qualifiers: common, values: t.smRate),
                                 variable("MM at kappa = 1", units: rateUnit, qualifiers: common, values: t.mmRate),
                                 variable("Best fit", units: rateUnit, qualifiers: common + [kappaHat], values: ResidualFigure.bestFit(inputs)),
                                 variable("SM + MM at the upper limit", units: rateUnit,
                                          qualifiers: common + [qualifier("kappa", .number(limit.kappaUpper), units: kappaUnit)],
                                          values: zip(t.smRate, t.mmRate).map { $0 + limit.kappaUpper * $1 })])
    }

    static func profile(_ inputs: ReportInputs, _ common: [YAMLValue]) -> Table {
        let p = inputs.fit.profile
        let name = inputs.fit.method == .poisson ? "Delta(-2 ln L)" : "Delta chi2"
        return Table(name: "Profile in kappa", description: "\(name)(kappa) = S(kappa) - S_min with every nuisance parameter profiled at each kappa.",
                     file: "profile.yaml", observables: ["CHI2"], independent: [points(p.map(\.kappa), name: "kappa", units: kappaUnit)],
                     dependent: [variable(name, units: nil, qualifiers: common, values: p.map(\.deltaChi2))])
    }

    static func belt(_ inputs: ReportInputs, _ common: [YAMLValue]) -> Table {
        let dependent: [YAMLValue]
        let description: String
        switch inputs.limit.belt {
        case .gaussian(let g):
            description = "Feldman-Cousins acceptance region [low, high] of the measured kappa-hat at each true kappa (Gaussian kappa-hat)."
            dependent = [variable("kappa-hat acceptance low", units: kappaUnit, qualifiers: common, values: g.acceptLow),
                         variable("kappa-hat acceptance high", units: kappaUnit, qualifiers: common, values: g.acceptHigh)]
        case .toys(let t):
            description = "Toy Neyman construction: at each true kappa the critical value t_c (CL quantile of the toys' likelihood-ratio statistic) and the observed t; kappa is inside the interval where t_obs <= t_c."
            dependent = [variable("t_c", units: nil, qualifiers: common, values: t.criticalValue),
                         variable("t_obs", units: nil, qualifiers: common, values: t.observed),
                         variable("Toys", units: nil, qualifiers: common, values: t.toys.map(Double.init))]
        }
        return Table(name: "Confidence belt", description: description, file: "belt.yaml", observables: ["CL"],
                     independent: [points(inputs.limit.belt.kappa, name: "kappa (true)", units: kappaUnit)], dependent: dependent)
    }

    static func limitTable(_ inputs: ReportInputs, _ common: [YAMLValue]) -> Table {
        let l = inputs.limit
        let flavor = [qualifier("Neutrino", .string(l.flavor.rawValue))]
        return Table(name: "Upper limit on mu_nu", description: "The Feldman-Cousins interval on kappa = mu_nu^2/(10^-20 mu_B^2), the upper limit on mu_nu and the best fit with its error.",
                     file: "limit.yaml", observables: ["MU_NU"],
                     independent: [.map([("header", header("Quantity")), ("values", .list([.map([("value", .string("interval"))])]))])],
                     dependent: [variable("kappa upper limit", units: kappaUnit, qualifiers: common + flavor, values: [l.kappaUpper]),
                                 variable("kappa lower limit", units: kappaUnit, qualifiers: common + flavor, values: [l.kappaLower]),
                                 variable("mu_nu upper limit", units: muUnit, qualifiers: common + flavor, values: [l.muLimitBohr]),
                                 variable("kappa best fit", units: kappaUnit, qualifiers: common + flavor, values: [l.kappaHat],
                                          errors: [l.kappaSigma], errorLabel: "total")])
    }

    static func expected(_ s: LimitProduct.Sensitivity, _ common: [YAMLValue]) -> Table {
        Table(name: "Expected limits", description: "Expected upper limits at quantiles of the background-only (kappa = 0) distribution: 0.5 is the median, 0.1587/0.8413 the -1/+1 sigma band, 0.0228/0.9772 the -2/+2 sigma band (\(s.pseudoExperiments) pseudo-experiments; 0: analytic).",
              file: "expected.yaml", observables: ["MU_NU"], independent: [points(s.quantiles, name: "Quantile", units: nil)],
              dependent: [variable("Expected kappa upper limit", units: kappaUnit, qualifiers: common, values: s.kappaUpper),
                          variable("Expected mu_nu upper limit", units: muUnit, qualifiers: common,
                                   values: s.kappaUpper.map { MagneticMomentUnits.muBohr(kappa: max($0, 0)) })])
    }
}
