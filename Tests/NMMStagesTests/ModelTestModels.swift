import Foundation
import NMMCore
@testable import NMMStatistics

/// Models for the engine tests.
enum ModelTestModels {
    /// A general model exercising every feature: two data sets (periods) sharing the flux
    /// normalisation (Gaussian), a log-normal efficiency on the signal of the first set, a shape
    /// systematic on the SM of both, an ON-only line with a free normalisation in the second, a
    /// fixed modifier, and Poisson-drawn counts.
    static func general(seed: UInt64 = 4, kappa: Double = 1) throws -> StatisticalModel {
        let rng = try RandomGenerator(seed: seed)
        var sets: [ModelDataSet] = []
        for (d, (lo, nb, tOn, tOff)) in [(12.0, 6, 180.0, 60.0), (14.0, 5, 120.0, 90.0)].enumerated() {
            let low = (0..<nb).map { lo + 4 * Double($0) }, high = low.map { $0 + 4 }
            let centre = zip(low, high).map { 0.5 * ($0 + $1) }
            let bg = centre.map { 1 + 0.01 * ($0 - 20) }
            let sm = centre.map { 0.2 * exp(-($0 - 12) / 30) }
            let mm = centre.map { 0.08 * 12 / $0 }
            let line = centre.map { exp(-0.5 * pow(($0 - 22) / 3, 2)) }
            let onMean = (0..<nb).map { i in tOn * 4 * (bg[i] + sm[i] + kappa * mm[i] + (d == 1 ? 0.05 * line[i] : 0)) }
            let offMean = (0..<nb).map { i in tOff * 4 * bg[i] }
            var samples = [
                ModelSample(name: "sm", role: .known, rate: sm, modifiers: ["flux", "spectrum"] + (d == 0 ? ["smFixed"] : []),
                            shapeVariations: ["spectrum": ShapeVariation(down: sm.enumerated().map { $1 * (1 - 0.05 * Double($0) / Double(nb)) },
                                                                         up: sm.enumerated().map { $1 * (1 + 0.08 * Double($0) / Double(nb)) })]),
                ModelSample(name: "mm", role: .signal, rate: mm, modifiers: ["flux"] + (d == 0 ? ["eff"] : [])),
            ]
            if d == 1 { samples.append(ModelSample(name: "line", role: .onOnly, rate: line, modifiers: ["lineNorm"])) }
            sets.append(ModelDataSet(name: "period\(d)", energyLowKeV: low, energyHighKeV: high,
                                     onCounts: onMean.map { Double(rng.poisson(mean: $0)) },
                                     offCounts: offMean.map { Double(rng.poisson(mean: $0)) },
                                     onExposureKgDay: tOn, offExposureKgDay: tOff, samples: samples))
        }
        return StatisticalModel(dataSets: sets, modifiers: [
            .normalisation("flux", sigma: 0.1),
            ModelModifier(name: "eff", kind: .normalisation, constraint: .logNormal(sigma: 0.2)),
            .shape("spectrum"),
            ModelModifier(name: "lineNorm", kind: .normalisation, constraint: .free),
            ModelModifier(name: "smFixed", kind: .normalisation, constraint: .fixed(1.05)),
        ], globalObservables: ["flux": 1.03, "eff": 0.95, "spectrum": -0.2])
    }

    /// A combination as the shipped one (TEXONO 2003 + MUNU): a first data set with κ alone (20
    /// bins: its third SIMD block shared with the second set) and a second of 8 bins with a
    /// log-normal efficiency, a flux normalisation and a shape on both samples. In the fits at
    /// fixed κ the first set's blocks do not move (`NuisanceLayout.blockStart`).
    static func combination(seed: UInt64 = 6, kappa: Double = 1) throws -> StatisticalModel {
        let rng = try RandomGenerator(seed: seed)
        var sets: [ModelDataSet] = []
        for (d, (lo, nb, width, tOn, tOff)) in [(12.0, 20, 1.0, 200.0, 100.0), (700.0, 8, 200.0, 60.0, 180.0)].enumerated() {
            let low = (0..<nb).map { lo + width * Double($0) }, high = low.map { $0 + width }
            let centre = zip(low, high).map { 0.5 * ($0 + $1) }
            let bg = centre.map { _ in d == 0 ? 1.0 : 0.002 }
            let sm = centre.map { d == 0 ? 0.2 * exp(-($0 - 12) / 30) : 0.0006 * exp(-($0 - 700) / 800) }
            let mm = centre.map { d == 0 ? 0.08 * 12 / $0 : 0.0004 * 700 / $0 }
            let onMean = (0..<nb).map { i in tOn * width * (bg[i] + sm[i] + kappa * mm[i]) }
            let offMean = (0..<nb).map { i in tOff * width * bg[i] }
            let modifiers = d == 0 ? [] : ["eff", "flux"]
            let samples = [
                ModelSample(name: "sm", role: .known, rate: sm, modifiers: modifiers + (d == 0 ? [] : ["spectrum"]),
                            shapeVariations: d == 0 ? [:] : ["spectrum": ShapeVariation(
                                down: sm.enumerated().map { $1 * (1 + 0.1 * Double($0) / Double(nb)) },
                                up: sm.enumerated().map { $1 * (1 - 0.12 * Double($0) / Double(nb)) })]),
                ModelSample(name: "mm", role: .signal, rate: mm, modifiers: modifiers),
            ]
            sets.append(ModelDataSet(name: d == 0 ? "kappaOnly" : "withNuisances", energyLowKeV: low, energyHighKeV: high,
                                     onCounts: onMean.map { Double(rng.poisson(mean: $0)) },
                                     offCounts: offMean.map { Double(rng.poisson(mean: $0)) },
                                     onExposureKgDay: tOn, offExposureKgDay: tOff, samples: samples))
        }
        return StatisticalModel(dataSets: sets, modifiers: [
            ModelModifier(name: "eff", kind: .normalisation, constraint: .logNormal(sigma: 0.3)),
            .normalisation("flux", sigma: 0.03),
            .shape("spectrum"),
        ], globalObservables: ["eff": 1.1, "flux": 0.99, "spectrum": 0.3])
    }
}
