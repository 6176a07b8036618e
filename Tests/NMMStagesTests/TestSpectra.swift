import NMMCore
@testable import NMMStages
@testable import NMMStatistics

/// Synthetic spectra for the statistics tests.
///
/// TEXONO-like (Li et al., PRL 90 (2003) 131802; physics.md §7): 1.06 kg HPGe, 4712 h ON and
/// 1250 h OFF, 12–64 keV in 1-keV bins, flat background 1 count/(kg·keV·day). Templates are
/// approximations for tests only (physics.md §5 check values at 12 keV): SM ≈ 1.4e-3 flat and
/// MM ≈ 2.88e-2 × (12 keV / T) counts/(kg·keV·day) at κ = 1. The real templates come from
/// the physics module.
enum TestSpectra {
    static let massKg = 1.06
    static let onExposureKgDay = massKg * 4712 / 24
    static let offExposureKgDay = massKg * 1250 / 24

    static func texonoLike(kappa: Double = 0, backgroundRate: Double = 1, exposureScale: Double = 1,
                           lowKeV: Double = 12, highKeV: Double = 64, binKeV: Double = 1,
                           poissonSeed: UInt64? = nil) throws -> FitInput {
        let n = Int(((highKeV - lowKeV) / binKeV).rounded())
        let lo = (0..<n).map { lowKeV + Double($0) * binKeV }
        let hi = lo.map { $0 + binKeV }
        let centre = zip(lo, hi).map { 0.5 * ($0 + $1) }
        let sm = [Double](repeating: 1.4e-3, count: n)
        let mm = centre.map { 2.88e-2 * 12 / $0 }
        let tOn = onExposureKgDay * exposureScale, tOff = offExposureKgDay * exposureScale
        var on = (0..<n).map { tOn * binKeV * (backgroundRate + sm[$0] + kappa * mm[$0]) }
        var off = (0..<n).map { _ in tOff * binKeV * backgroundRate }
        if let seed = poissonSeed {
            let rng = try RandomGenerator(seed: seed)
            on = on.map { Double(rng.poisson(mean: $0)) }
            off = off.map { Double(rng.poisson(mean: $0)) }
        }
        return try FitInput(energyLowKeV: lo, energyHighKeV: hi, onCounts: on, offCounts: off,
                            onExposureKgDay: tOn, offExposureKgDay: tOff, smRate: sm, mmRate: mm)
    }

    /// A small, cheap spectrum for toy tests: `bins` wide bins with high counts.
    static func small(kappa: Double = 0, bins: Int = 6, exposureScale: Double = 1,
                      poissonSeed: UInt64? = nil) throws -> FitInput {
        try texonoLike(kappa: kappa, exposureScale: exposureScale, lowKeV: 12, highKeV: 12 + 4 * Double(bins),
                       binKeV: 4, poissonSeed: poissonSeed)
    }
}
