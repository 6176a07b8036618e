import NMMCore

/// The likelihood as a value (statistics.md §1): data sets × samples × modifiers. Fit, toys,
/// interval constructions and exporters all read this one value; no parameter has a fixed
/// index — the parameters are κ followed by the modifiers in the order of `modifiers`.
///
/// Per data set d and bin i (α = ON exposure·Δ_i, β = OFF exposure·Δ_i, kg·day·keV):
///     ON  ~ Pois(α·(b_i + S_i(κ, θ))),   OFF ~ Pois(β·b_i),
///     S_i = Σ_samples rate_i(θ_shape) · Π normalisation factors (· κ for the signal sample),
/// b_i ≥ 0 profiled per bin in closed form; every constrained modifier adds its constraint
/// term with its global observable (nominal: the modifier's nominal value).
public struct StatisticalModel: Sendable, Equatable {
    public var dataSets: [ModelDataSet]
    /// Every modifier once, by name; samples refer to them by name (shared across samples
    /// and data sets when they are the same physical quantity).
    public var modifiers: [ModelModifier]
    /// Observed values θ̃ of the auxiliary measurements (global observables) of constrained
    /// modifiers, by modifier name; a modifier not listed has its nominal value (1 for a
    /// normalisation, 0 for a shape). Toys and pseudo-experiments draw their own.
    public var globalObservables: [String: Double]

    public init(dataSets: [ModelDataSet], modifiers: [ModelModifier], globalObservables: [String: Double] = [:]) {
        self.dataSets = dataSets
        self.modifiers = modifiers
        self.globalObservables = globalObservables
    }

    /// θ̃ of a modifier: the recorded value or its nominal.
    public func globalObservable(of modifier: ModelModifier) -> Double {
        globalObservables[modifier.name] ?? modifier.nominal
    }

    /// Names of the parameters a fit of this model varies: κ, then the modifiers not fixed,
    /// in model order (the `parameterNames` of its `FitResult`).
    public var fittedParameterNames: [String] {
        [Self.poiName] + modifiers.filter(\.constraint.isFitted).map(\.name)
    }

    /// Name of the parameter of interest, κ = μ_ν² in 10⁻²⁰ μ_B².
    public static let poiName = "kappa"

    /// κ first, then one parameter per modifier.
    public var parameterNames: [String] { [Self.poiName] + modifiers.map(\.name) }

    public func modifier(named name: String) -> ModelModifier? { modifiers.first { $0.name == name } }

    /// Modifiers with a constraint term (and so a global observable).
    public var constrainedModifiers: [ModelModifier] { modifiers.filter { $0.constraint.isConstrained } }

    /// Checks the value: sample rates match their data set's bins, modifier references exist,
    /// shape variations exist for every shape modifier a sample names, one signal sample per data set at most.
    public func validate() throws {
        guard !dataSets.isEmpty else { throw StatisticsError.invalidInput("the model has no data set") }
        var names = Set<String>()
        for m in modifiers {
            guard names.insert(m.name).inserted, m.name != Self.poiName else {
                throw StatisticsError.invalidInput("modifier name '\(m.name)' used twice (or as the POI)")
            }
            try m.validate()
        }
        for (name, g) in globalObservables {
            guard let m = modifier(named: name), m.constraint.isConstrained else {
                throw StatisticsError.invalidInput("global observable for '\(name)', which is not a constrained modifier")
            }
            guard g.isFinite, !(isLogNormal(m) && g <= 0) else {
                throw StatisticsError.invalidInput("global observable of '\(name)' must be finite (and > 0 for a log-normal constraint), found \(g)")
            }
        }
        for d in dataSets {
            try d.validate()
            for s in d.samples {
                for name in s.modifiers {
                    guard let m = modifier(named: name) else {
                        throw StatisticsError.invalidInput("sample '\(s.name)' of data set '\(d.name)' names an unknown modifier '\(name)'")
                    }
                    if case .shape = m.kind, s.shapeVariations[name] == nil {
                        throw StatisticsError.invalidInput("sample '\(s.name)' of data set '\(d.name)' has no −1σ/+1σ templates for the shape modifier '\(name)'")
                    }
                }
            }
        }
    }
}

private func isLogNormal(_ m: ModelModifier) -> Bool {
    if case .logNormal = m.constraint { true } else { false }
}

/// One ON/OFF measurement: the fitted bins, their counts and exposures, and the samples.
public struct ModelDataSet: Sendable, Equatable {
    public var name: String
    public var energyLowKeV: [Double]
    public var energyHighKeV: [Double]
    public var onCounts: [Double]
    public var offCounts: [Double]
    /// ON and OFF exposure, kg·day (OFF includes any exposure factor).
    public var onExposureKgDay: Double
    public var offExposureKgDay: Double
    public var samples: [ModelSample]

    public init(name: String, energyLowKeV: [Double], energyHighKeV: [Double], onCounts: [Double], offCounts: [Double],
                onExposureKgDay: Double, offExposureKgDay: Double, samples: [ModelSample]) {
        self.name = name
        self.energyLowKeV = energyLowKeV
        self.energyHighKeV = energyHighKeV
        self.onCounts = onCounts
        self.offCounts = offCounts
        self.onExposureKgDay = onExposureKgDay
        self.offExposureKgDay = offExposureKgDay
        self.samples = samples
    }

    public var binCount: Int { energyLowKeV.count }

    /// The data as the κ-only/legacy statistics read it (FitInput).
    public func fitInput(smRate: [Double], mmRate: [Double]) throws -> FitInput {
        try FitInput(energyLowKeV: energyLowKeV, energyHighKeV: energyHighKeV, onCounts: onCounts, offCounts: offCounts,
                     onExposureKgDay: onExposureKgDay, offExposureKgDay: offExposureKgDay, smRate: smRate, mmRate: mmRate)
    }

    func validate() throws {
        let n = binCount
        guard n > 0, energyHighKeV.count == n, onCounts.count == n, offCounts.count == n else {
            throw StatisticsError.invalidInput("data set '\(name)': bins, ON and OFF counts differ in length")
        }
        guard onExposureKgDay > 0, offExposureKgDay > 0, onExposureKgDay.isFinite, offExposureKgDay.isFinite else {
            throw StatisticsError.invalidInput("data set '\(name)': exposures must be finite and > 0 kg·day")
        }
        guard samples.filter({ $0.role == .signal }).count == 1 else {
            throw StatisticsError.invalidInput("data set '\(name)': expected exactly one signal (κ-scaled) sample")
        }
        var names = Set<String>()
        for s in samples {
            guard names.insert(s.name).inserted else { throw StatisticsError.invalidInput("data set '\(name)': sample '\(s.name)' twice") }
            guard s.rate.count == n, s.rate.allSatisfy(\.isFinite) else {
                throw StatisticsError.invalidInput("data set '\(name)': sample '\(s.name)' needs \(n) finite rates")
            }
            for (m, v) in s.shapeVariations where v.down.count != n || v.up.count != n {
                throw StatisticsError.invalidInput("data set '\(name)': sample '\(s.name)' variations of '\(m)' need \(n) rates")
            }
        }
    }
}

/// What a sample is in the likelihood.
public enum SampleRole: String, ConfigChoice {
    /// Scaled by κ (the magnetic-moment sample).
    case signal
    /// A known rate (the Standard-Model samples), modified only by its modifiers.
    case known
    /// An ON-only term with a free normalisation (flat, linear residual background, lines).
    case onOnly = "on-only"
}

/// One contribution to the ON rate, counts/(kg·keV·day) per bin at nominal (κ = 1 for signal).
public struct ModelSample: Sendable, Equatable {
    public var name: String
    public var role: SampleRole
    public var rate: [Double]
    /// Names of the modifiers acting on this sample (normalisations multiply, shapes interpolate).
    public var modifiers: [String]
    /// −1σ and +1σ rates for each shape modifier this sample names.
    public var shapeVariations: [String: ShapeVariation]

    public init(name: String, role: SampleRole, rate: [Double], modifiers: [String] = [],
                shapeVariations: [String: ShapeVariation] = [:]) {
        self.name = name
        self.role = role
        self.rate = rate
        self.modifiers = modifiers
        self.shapeVariations = shapeVariations
    }
}

/// The −1σ and +1σ templates of a shape modifier for one sample.
public struct ShapeVariation: Sendable, Equatable {
    public var down: [Double]
    public var up: [Double]
    public init(down: [Double], up: [Double]) { self.down = down; self.up = up }
}
