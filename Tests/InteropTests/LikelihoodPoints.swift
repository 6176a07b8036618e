import Foundation
import NMMStages
import NMMStatistics

/// The parameter points at which nmm's −2 ln L and pyhf's `model.logpdf` are compared: the
/// best fit and a dozen others around it — κ moved by ±1σ, +3σ, −2σ and to 0, backgrounds
/// scaled and alternated off their profile, the raw OFF estimate, every nuisance moved by
/// ±1σ of its constraint, and all of them at once. Points where nmm's value is not finite
/// (an ON mean < 0) are left out.
enum LikelihoodPoints {
    static func points(_ model: StatisticalModel, best: ModelParameterPoint, kappaSigma s: Double) -> [(label: String, point: ModelParameterPoint)] {
        func profiled(_ p: ModelParameterPoint) -> ModelParameterPoint {
            var q = p
            q.backgroundRates = model.profiledBackgroundRates(at: p)
            return q
        }
        func at(kappa: Double, _ base: ModelParameterPoint = best) -> ModelParameterPoint {
            var p = base
            p.kappa = kappa
            return profiled(p)
        }
        func scaled(_ f: (Int) -> Double) -> ModelParameterPoint {
            var p = best
            p.backgroundRates = p.backgroundRates.map { rates in rates.indices.map { i in rates[i] * f(i) } }
            return p
        }
        var out: [(String, ModelParameterPoint)] = [
            ("best fit", best), ("kappa-hat + 1 sigma", at(kappa: best.kappa + s)), ("kappa-hat - 1 sigma", at(kappa: best.kappa - s)),
            ("kappa-hat + 3 sigma", at(kappa: best.kappa + 3 * s)), ("kappa-hat - 2 sigma", at(kappa: best.kappa - 2 * s)),
            ("kappa-hat + 0.5 sigma", at(kappa: best.kappa + 0.5 * s)), ("kappa = 1 (mu_nu = 1e-10 mu_B)", at(kappa: 1)),
            ("kappa = 0, nominal nuisances", profiled(ModelParameterPoint(kappa: 0, backgroundRates: best.backgroundRates))),
            ("backgrounds x 1.05", scaled { _ in 1.05 }), ("backgrounds x (1 +- 0.1) alternating", scaled { $0 % 2 == 0 ? 1.1 : 0.9 }),
        ]
        var off = best
        off.backgroundRates = model.dataSets.map { d in
            d.offCounts.indices.map { i in (d.offCounts[i] + 0.5) / (d.offExposureKgDay * (d.energyHighKeV[i] - d.energyLowKeV[i])) }
        }
        out.append(("backgrounds = (OFF + 0.5)/beta", off))
        var shifted = at(kappa: best.kappa + 0.3 * s)
        shifted.backgroundRates = shifted.backgroundRates.map { rates in rates.indices.map { rates[$0] * (1 + 0.02 * sin(Double($0))) } }
        out.append(("kappa-hat + 0.3 sigma, backgrounds off their profile by 2 sin(i) %", shifted))
        var all = best
        all.kappa = best.kappa + 0.5 * s
        for m in model.modifiers {
            let v = model.modifierValue(m, at: best)
            for sign in [1.0, -1.0] {
                var p = best
                guard let moved = move(m, v, by: sign) else { continue }
                p.modifiers[m.name] = moved
                out.append(("\(m.name) \(sign > 0 ? "+" : "-")1 sigma", sign > 0 ? p : profiled(p)))
            }
            all.modifiers[m.name] = move(m, v, by: 0.5) ?? v
        }
        out.append(("every parameter moved", profiled(all)))
        return out.filter { model.minusTwoLogLikelihood(at: $0.1).isFinite }
    }

    /// A modifier's value moved by `n` σ of its constraint (nil when it is held).
    static func move(_ m: ModelModifier, _ v: Double, by n: Double) -> Double? {
        switch m.constraint {
        case .gaussian(let sigma): v + n * sigma
        case .logNormal(let sigma): v * exp(n * sigma)
        case .free: v * (1 + 0.1 * n)
        case .fixed: nil
        }
    }
}
