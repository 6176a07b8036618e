import NMMCore
/// What a fit sees: the bins used in the fit (masking is done before), their ON and OFF
/// counts with exposures, and the SM and MM rate templates.
///
/// Units: energies in keV, counts raw per bin, exposures in kg·day (live time × mass; the
/// OFF exposure already includes any extra normalisation, e.g. the MUNU cone solid-angle
/// ratio), rates in counts/(kg·keV·day). `mmRate` is the magnetic-moment rate at κ = 1
/// (κ = μ_ν² in 10⁻²⁰ μ_B²).
public struct FitInput: Sendable, Equatable {
    public var energyLowKeV: [Double]
    public var energyHighKeV: [Double]
    public var onCounts: [Double]
    public var offCounts: [Double]
    public var onExposureKgDay: Double
    public var offExposureKgDay: Double
    public var smRate: [Double]
    public var mmRate: [Double]

    public init(energyLowKeV: [Double], energyHighKeV: [Double], onCounts: [Double], offCounts: [Double],
                onExposureKgDay: Double, offExposureKgDay: Double, smRate: [Double], mmRate: [Double]) throws {
        self.energyLowKeV = energyLowKeV
        self.energyHighKeV = energyHighKeV
        self.onCounts = onCounts
        self.offCounts = offCounts
        self.onExposureKgDay = onExposureKgDay
        self.offExposureKgDay = offExposureKgDay
        self.smRate = smRate
        self.mmRate = mmRate
        try validate()
    }

    public var binCount: Int { energyLowKeV.count }

    public var binWidthKeV: [Double] { zip(energyHighKeV, energyLowKeV).map { $0 - $1 } }

    public var binCentreKeV: [Double] { zip(energyHighKeV, energyLowKeV).map { 0.5 * ($0 + $1) } }

    /// E_ref of the linear residual-background term: the middle of the fitted range.
    public var referenceEnergyKeV: Double {
        guard let lo = energyLowKeV.min(), let hi = energyHighKeV.max() else { return 0 }
        return 0.5 * (lo + hi)
    }

    /// ON − OFF rate per bin, counts/(kg·keV·day).
    public var residualRate: [Double] {
        let w = binWidthKeV
        return (0..<binCount).map { i in
            onCounts[i] / (onExposureKgDay * w[i]) - offCounts[i] / (offExposureKgDay * w[i])
        }
    }

    /// 1σ error of `residualRate`, counts/(kg·keV·day), by the default rule
    /// (`ResidualErrorRule.observedCounts`): √(σ²_on + σ²_off) with σ²(n) = max(n, 1) counts.
    /// Zero-count rule: a bin with 0 counts is given the error of one count (an expected-count
    /// floor), so the χ² stays defined; bins with n ≥ 1 use √n as usual.
    public var residualError: [Double] { residualError(rule: .observedCounts) }

    /// For `expected` the known rate is the SM template at nominal normalisation (`smRate`).
    public func residualError(rule: ResidualErrorRule) -> [Double] {
        if rule == .expected { return residualError(rule: rule, knownRate: smRate) }
        let w = binWidthKeV
        return (0..<binCount).map { i in
            Self.residualVariance(on: onCounts[i], off: offCounts[i], onScale: onExposureKgDay * w[i],
                                  offScale: offExposureKgDay * w[i], rule: rule).squareRoot()
        }
    }

    /// Errors of the residual rate with the `expected` rule, for a known (SM) rate per bin
    /// `knownRate` in counts/(kg·keV·day) (e.g. the SM template at its fitted normalisation);
    /// the other rules ignore it.
    public func residualError(rule: ResidualErrorRule, knownRate: [Double]) -> [Double] {
        let w = binWidthKeV
        return (0..<binCount).map { i in
            Self.residualVariance(on: onCounts[i], off: offCounts[i], onScale: onExposureKgDay * w[i],
                                  offScale: offExposureKgDay * w[i], rule: rule, knownRate: knownRate[i]).squareRoot()
        }
    }

    /// Variance of the residual rate of one bin. Shared with the toy χ² so observed data and
    /// toys are treated identically. `knownRate` s (counts/(kg·keV·day)) is used by `expected`
    /// only: b̂ = max(n + m − α·s, 1)/(α + β) (the pooled rule's one-count floor, so s = 0
    /// gives `pooled` exactly), σ² = (b̂ + s)/α + b̂/β; s < 0 counts as 0.
    @inline(__always)
    static func residualVariance(on n: Double, off m: Double, onScale a: Double, offScale b: Double,
                                 rule: ResidualErrorRule, knownRate: Double = 0) -> Double {
        switch rule {
        case .observedCounts:
            return CountingError.variance(n) / (a * a) + CountingError.variance(m) / (b * b)
        case .pooled:
            let background = max(n + m, 1) / (a + b)
            return background / a + background / b
        case .expected:
            let s = max(knownRate, 0)
            let background = max(n + m - a * s, 1) / (a + b)
            return (background + s) / a + background / b
        }
    }

    /// The same bins with other counts (for pseudo-experiments).
    public func replacingCounts(on: [Double], off: [Double]) throws -> FitInput {
        var copy = self
        copy.onCounts = on
        copy.offCounts = off
        try copy.validate()
        return copy
    }

    public func validate() throws {
        let n = energyLowKeV.count
        guard n > 0 else { throw StatisticsError.invalidInput("no bins") }
        for (name, a) in [("energyHighKeV", energyHighKeV), ("onCounts", onCounts), ("offCounts", offCounts),
                          ("smRate", smRate), ("mmRate", mmRate)] where a.count != n {
            throw StatisticsError.invalidInput("\(name) has \(a.count) entries, expected \(n) (one per bin)")
        }
        for i in 0..<n {
            guard energyHighKeV[i] > energyLowKeV[i], energyLowKeV[i].isFinite, energyHighKeV[i].isFinite else {
                throw StatisticsError.invalidInput("bin \(i): energy edges [\(energyLowKeV[i]), \(energyHighKeV[i])] keV are not increasing")
            }
            guard onCounts[i] >= 0, offCounts[i] >= 0, onCounts[i].isFinite, offCounts[i].isFinite else {
                throw StatisticsError.invalidInput("bin \(i): counts must be finite and ≥ 0 (ON \(onCounts[i]), OFF \(offCounts[i]))")
            }
            guard smRate[i].isFinite, mmRate[i].isFinite else {
                throw StatisticsError.invalidInput("bin \(i): template rates must be finite")
            }
        }
        guard onExposureKgDay > 0, offExposureKgDay > 0, onExposureKgDay.isFinite, offExposureKgDay.isFinite else {
            throw StatisticsError.invalidInput("exposures must be > 0 kg·day (ON \(onExposureKgDay), OFF \(offExposureKgDay))")
        }
        guard mmRate.contains(where: { $0 != 0 }) else {
            throw StatisticsError.invalidInput("the MM template is zero in every bin: κ cannot be fitted")
        }
    }
}

