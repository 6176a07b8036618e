import Foundation
import NMMCore

/// A point in the full parameter space of a `StatisticalModel`: κ, every modifier's value and
/// every bin's background rate b_i — nothing profiled. What an exporter's consumer (pyhf's
/// `model.logpdf`) evaluates, so nmm can be compared with it point by point.
public struct ModelParameterPoint: Sendable, Equatable {
    /// κ = μ_ν² in 10⁻²⁰ μ_B².
    public var kappa: Double
    /// Value of each modifier by name (normalisations θ, shapes α). A modifier left out takes
    /// its held value (fixed) or its nominal value (1 or 0).
    public var modifiers: [String: Double]
    /// Per data set, per bin: the background rate b_i, count/(kg·keV·day).
    public var backgroundRates: [[Double]]
    /// Global observables of the constrained modifiers by name (left out: nominal, θ̃ = 1 or α̃ = 0).
    public var globalObservables: [String: Double]

    public init(kappa: Double, modifiers: [String: Double] = [:], backgroundRates: [[Double]],
                globalObservables: [String: Double] = [:]) {
        self.kappa = kappa
        self.modifiers = modifiers
        self.backgroundRates = backgroundRates
        self.globalObservables = globalObservables
    }
}

/// Which constant terms −2 ln L carries.
public enum LikelihoodConstants: Sendable {
    /// The full densities, as pyhf writes them: Poisson 2·lnΓ(n+1) per bin and, per
    /// constrained modifier, ln(2πσ²) of the normal density in the variable the constraint is
    /// written in (θ for Gaussian, ln θ for log-normal).
    case included
    /// Only the parameter-dependent terms (differences between points are unchanged).
    case omitted
}

extension StatisticalModel {
    /// The value a modifier takes at `point`: given, held (fixed), or nominal.
    public func modifierValue(_ m: ModelModifier, at point: ModelParameterPoint) -> Double {
        if case .fixed(let v) = m.constraint { return point.modifiers[m.name] ?? v }
        return point.modifiers[m.name] ?? m.nominal
    }

    /// The ON rate of every sample summed (S_i, count/(kg·keV·day)) in data set `d` at `point`:
    /// each sample's shapes interpolated piecewise linearly (deltas of several shapes add, as
    /// HistFactory's histosys), times its normalisations, times κ for the signal sample.
    public func signalRates(dataSet d: Int, at point: ModelParameterPoint) -> [Double] {
        let data = dataSets[d]
        var total = [Double](repeating: 0, count: data.binCount)
        for s in data.samples {
            var rate = s.rate
            var factor = s.role == .signal ? point.kappa : 1
            for name in s.modifiers {
                guard let m = modifier(named: name) else { continue }
                let v = modifierValue(m, at: point)
                switch m.kind {
                case .normalisation: factor *= v
                case .shape:
                    guard let variation = s.shapeVariations[name] else { continue }
                    for i in rate.indices {
                        rate[i] += v >= 0 ? v * (variation.up[i] - s.rate[i]) : v * (s.rate[i] - variation.down[i])
                    }
                }
            }
            for i in total.indices { total[i] += factor * rate[i] }
        }
        return total
    }

    /// −2 ln L at an explicit point: per bin the Poisson terms of ON (mean α·(b_i + S_i)) and
    /// OFF (mean β·b_i), α, β = exposure × bin width, plus every constraint term
    /// (`ModifierConstraint.penalty`). NaN when a mean is negative or the point does not fit
    /// the model (wrong number of data sets or bins); +∞ when a count > 0 has mean 0.
    public func minusTwoLogLikelihood(at point: ModelParameterPoint, constants: LikelihoodConstants = .included) -> Double {
        guard point.backgroundRates.count == dataSets.count else { return .nan }
        var total = 0.0
        for (d, data) in dataSets.enumerated() {
            let b = point.backgroundRates[d]
            guard b.count == data.binCount else { return .nan }
            let s = signalRates(dataSet: d, at: point)
            for i in 0..<data.binCount {
                let width = data.energyHighKeV[i] - data.energyLowKeV[i]
                total += Self.poissonTerm(count: data.onCounts[i], mean: data.onExposureKgDay * width * (b[i] + s[i]), constants: constants)
                total += Self.poissonTerm(count: data.offCounts[i], mean: data.offExposureKgDay * width * b[i], constants: constants)
            }
        }
        for m in constrainedModifiers {
            let theta = modifierValue(m, at: point)
            let g = point.globalObservables[m.name] ?? m.nominal
            total += m.constraint.penalty(theta, globalObservable: g)
            if case .included = constants {
                switch m.constraint {
                case .gaussian(let sigma), .logNormal(let sigma): total += log(2 * Double.pi * sigma * sigma)
                case .free, .fixed: break
                }
            }
        }
        return total
    }

    /// −2 ln Pois(n | μ) = 2(μ − n ln μ) (+ 2 lnΓ(n+1)); 0·ln 0 = 0.
    static func poissonTerm(count n: Double, mean mu: Double, constants: LikelihoodConstants) -> Double {
        guard mu >= 0, mu.isFinite else { return .nan }
        var t = 2 * mu
        if n > 0 { t -= mu > 0 ? 2 * n * log(mu) : -.infinity }
        if case .included = constants { t += 2 * lgamma(n + 1) }
        return t
    }

    /// The background rates b̂_i that maximise the likelihood at κ and the modifiers of `point`
    /// (its backgrounds ignored): the closed-form WStat root of every bin (`OnOffProfile`), as
    /// the Poisson fit profiles them. With these, `minusTwoLogLikelihood` is the profiled value.
    public func profiledBackgroundRates(at point: ModelParameterPoint) -> [[Double]] {
        dataSets.indices.map { d in
            let data = dataSets[d], s = signalRates(dataSet: d, at: point)
            return (0..<data.binCount).map { i in
                let width = data.energyHighKeV[i] - data.energyLowKeV[i]
                return OnOffProfile.profile(on: data.onCounts[i], off: data.offCounts[i], onScale: data.onExposureKgDay * width,
                                            offScale: data.offExposureKgDay * width, signal: s[i]).background
            }
        }
    }
}
