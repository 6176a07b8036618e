import NMMCore

/// Bin averages of a true-energy spectrum seen through a detector response.
///
/// Without a response (or with σ ≡ 0): B_j = (1/w_j) ∫_{E_j}^{E_j+1} ε(T) f(T) dT.
/// With a Gaussian resolution: B_j = (1/w_j) ∫ f(T) A_j(T) dT, where the bin acceptance
/// A_j(T) = ∫_{E_j}^{E_j+1} ε(E) G(E; T, σ(T)) dE is exact (`DetectorResponse.binAcceptance`),
/// and the T integral runs over [E_j − nσ, E_j+1 + nσ] with n = `truncationSigmas` = 6
/// (σ taken at the range ends, σ being non-decreasing in E): the dropped Gaussian tails
/// carry < 2×10⁻⁹ of the bin content. Folding therefore needs f somewhat outside the
/// observed window (up to 6σ beyond each end); true energies below `minimumTrueEnergyKeV`
/// are not folded in. Each piece is integrated by GSL QAGS at relative tolerance
/// `relativeTolerance` = 10⁻⁸, split at `splitPointsKeV` (steps of f, e.g. binding edges),
/// the bin edges and the efficiency nodes.
///
/// The kernel is normalised over observed energy for each true energy (every event lands
/// somewhere). When σ depends on energy it is not normalised over true energy, so even a
/// flat spectrum comes out as 1 + σ'² + σσ'' to second order (≈ 4×10⁻⁴ for σ' = 0.02):
/// physics, not a numerical error (tested in FoldingTests).
public enum SpectrumFolding {
    public static let relativeTolerance = 1e-8
    public static let truncationSigmas = 6.0

    public static func binAverages(edgesKeV: [Double], response: DetectorResponse?,
                                   minimumTrueEnergyKeV: Double = 0, splitPointsKeV: [Double] = [],
                                   context: String = "folding a spectrum",
                                   _ spectrum: (Double) -> Double) throws -> [Double] {
        try validate(edgesKeV: edgesKeV)
        let integrator = Integrator(relativeTolerance: relativeTolerance)
        let nodes = response?.efficiencyNodesKeV ?? []
        var result: [Double] = []
        result.reserveCapacity(edgesKeV.count - 1)
        for j in 0..<(edgesKeV.count - 1) {
            let lo = edgesKeV[j], hi = edgesKeV[j + 1]
            let total: Double
            if let response, !response.isPerfectResolution {
                let range = trueRange(lo, hi, response)
                let a = max(range.lowerBound, minimumTrueEnergyKeV)
                total = try integrate(integrator, a, range.upperBound, splits: splitPointsKeV + [lo, hi], context: context) { t in
                    spectrum(t) * response.binAcceptance(trueEnergyKeV: t, observedLowKeV: lo, observedHighKeV: hi)
                }
            } else {
                let a = max(lo, minimumTrueEnergyKeV)
                total = try integrate(integrator, a, hi, splits: splitPointsKeV + nodes, context: context) { t in
                    spectrum(t) * (response?.efficiency(energyKeV: t) ?? 1)
                }
            }
            result.append(total / (hi - lo))
        }
        return result
    }

    /// Bin edges must be finite, ≥ 0, strictly increasing, at least two.
    public static func validate(edgesKeV: [Double]) throws {
        guard edgesKeV.count >= 2 else {
            throw PhysicsError(.invalidBinning, field: "edgesKeV", "needs at least two edges, got \(edgesKeV.count)")
        }
        for (i, e) in edgesKeV.enumerated() {
            guard e.isFinite, e >= 0 else {
                throw PhysicsError(.invalidBinning, field: "edgesKeV[\(i)]", "must be a finite energy ≥ 0, got \(e)")
            }
            if i > 0, !(e > edgesKeV[i - 1]) {
                throw PhysicsError(.invalidBinning, field: "edgesKeV[\(i)]", "edges must be strictly increasing")
            }
        }
    }

    /// True energies that can land in [lo, hi): [lo − nσ(lo), t_hi] with t_hi = hi + nσ(t_hi)
    /// (found by fixed-point iteration; capped at hi + 50 n σ(hi) if σ grows too fast).
    static func trueRange(_ lo: Double, _ hi: Double, _ response: DetectorResponse) -> ClosedRange<Double> {
        let n = truncationSigmas
        let low = lo - n * response.sigmaKeV(energyKeV: lo)
        var high = hi + n * response.sigmaKeV(energyKeV: hi)
        for _ in 0..<50 {
            let next = hi + n * response.sigmaKeV(energyKeV: high)
            if abs(next - high) <= 1e-12 * next { high = next; break }
            high = next
        }
        let cap = hi + 50 * n * response.sigmaKeV(energyKeV: hi)
        return low...min(max(high, hi), cap)
    }

    /// ∫_a^b f, split at the given points inside (a, b); absolute tolerance 10⁻¹⁴ of a
    /// rough scale so that bins where f vanishes do not fail.
    private static func integrate(_ integrator: Integrator, _ a: Double, _ b: Double, splits: [Double],
                                  context: String, _ f: (Double) -> Double) throws -> Double {
        guard b > a else { return 0 }
        let cuts = [a] + Array(Set(splits.filter { $0 > a && $0 < b })).sorted() + [b]
        let scale = [a, 0.5 * (a + b), b].map { abs(f($0)) }.max()! * (b - a)
        var local = integrator
        local.absoluteTolerance = 1e-14 * scale
        var total = 0.0
        for i in 0..<(cuts.count - 1) {
            total += try local.integrate(cuts[i], cuts[i + 1], context: "\(context) over [\(cuts[i]), \(cuts[i + 1])] keV", f).value
        }
        return total
    }
}

extension RateModel {
    /// Lowest true recoil folded into observed bins (keV): 10 eV, the lowest recoil the seed
    /// discusses for Ge (§5: "lowering T from 10 keV to 10 eV"); below it free-electron
    /// scattering is meaningless (atomic binding; the seed puts the minimal transfer at ~100 eV).
    public static let minimumTrueRecoilKeV = 0.01

    /// Average SM and MM (κ = 1) rates over each observed-energy bin, counts/(kg keV day):
    /// dR/dT (tabulated moments) integrated over the bin and divided by its width; with a
    /// `response`, folded with its Gaussian resolution and multiplied by its efficiency
    /// (see `SpectrumFolding`). Steps of N_e(T) at the binding edges are split points.
    public func binnedRates(edgesKeV: [Double]) throws -> (sm: [Double], mm: [Double]) {
        let splits = bindingStep ? target.bindingEdgesKeV : []
        let sm = try SpectrumFolding.binAverages(edgesKeV: edgesKeV, response: response,
                                                 minimumTrueEnergyKeV: Self.minimumTrueRecoilKeV,
                                                 splitPointsKeV: splits, context: "binning the SM rate") {
            tabulatedDifferentialRates(recoilKeV: $0).smPerKgKeVDay
        }
        let mm = try SpectrumFolding.binAverages(edgesKeV: edgesKeV, response: response,
                                                 minimumTrueEnergyKeV: Self.minimumTrueRecoilKeV,
                                                 splitPointsKeV: splits, context: "binning the MM rate") {
            tabulatedDifferentialRates(recoilKeV: $0).mmPerKgKeVDay
        }
        return (sm, mm)
    }
}
