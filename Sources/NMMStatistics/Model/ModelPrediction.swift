import NMMCore

/// What the model predicts at given parameter values, for plots and reports: each sample's
/// rate per bin (counts/(kg·keV·day); normalisations and shapes applied, the signal times κ),
/// through the likelihood's own formula (`ModelEvaluator`).
public struct ModelPrediction: Sendable, Equatable {
    public struct Sample: Sendable, Equatable {
        public var name: String
        public var role: SampleRole
        public var rate: [Double]
    }

    public var dataSet: String
    public var samples: [Sample]

    /// Σ of the sample rates: the expected ON − OFF residual rate of each bin.
    public var total: [Double] {
        guard let first = samples.first else { return [] }
        return samples.dropFirst().reduce(first.rate) { acc, s in zip(acc, s.rate).map { $0 + $1 } }
    }
}

extension StatisticalModel {
    /// The prediction of every data set at `values` (by parameter name: "kappa" and modifier
    /// names, e.g. a `FitResult`'s names and values); a parameter not given takes its start or
    /// held value (κ 0, constrained modifiers their global observable, fixed ones their value,
    /// free ON-only normalisations 0, other free ones 1).
    public func prediction(_ values: [String: Double]) throws -> [ModelPrediction] {
        let compiled = try CompiledModel(self)
        var p = compiled.startValues
        for (name, v) in values {
            guard let q = compiled.parameterNames.firstIndex(of: name) else {
                throw StatisticsError.invalidOptions("no parameter '\(name)' in the model (\(compiled.parameterNames.joined(separator: ", ")))")
            }
            p[q] = v
        }
        let e = ModelEvaluator(compiled, statistic: .poisson, rule: .pooled)
        var s = 0
        return dataSets.map { d in
            let samples = d.samples.map { sample -> ModelPrediction.Sample in
                defer { s += 1 }
                return ModelPrediction.Sample(name: sample.name, role: sample.role, rate: e.sampleRate(s, p))
            }
            return ModelPrediction(dataSet: d.name, samples: samples)
        }
    }

    /// The prediction at a fit's values.
    public func prediction(_ fit: FitResult) throws -> [ModelPrediction] {
        try prediction(Dictionary(uniqueKeysWithValues: zip(fit.parameterNames, fit.values)))
    }
}
