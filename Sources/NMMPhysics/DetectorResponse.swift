import Foundation

/// Energy response of a detector: Gaussian resolution σ(E) = √(a² + b·E + c·E²) (a, b in
/// keV, c dimensionless, E the true energy in keV) and an efficiency ε(E) tabulated at
/// points, interpolated linearly and clamped to the end values outside the table (1 when
/// the table is empty).
public struct DetectorResponse: Sendable, Equatable {
    public struct EfficiencyPoint: Sendable, Equatable {
        public let energyKeV: Double
        public let efficiency: Double
        public init(energyKeV: Double, efficiency: Double) {
            self.energyKeV = energyKeV
            self.efficiency = efficiency
        }
    }

    public let resolutionAKeV: Double
    public let resolutionBKeV: Double
    public let resolutionC: Double
    /// Efficiency points, energies strictly increasing.
    public let efficiencyTable: [EfficiencyPoint]

    public init(resolutionAKeV: Double = 0, resolutionBKeV: Double = 0, resolutionC: Double = 0,
                efficiency: [(energyKeV: Double, efficiency: Double)] = []) throws {
        for (name, v) in [("resolutionAKeV", resolutionAKeV), ("resolutionBKeV", resolutionBKeV), ("resolutionC", resolutionC)]
        where !(v.isFinite && v >= 0) {
            throw PhysicsError(.invalidResponse, field: name, "must be a number ≥ 0, got \(v)")
        }
        for (i, p) in efficiency.enumerated() {
            guard p.energyKeV.isFinite, p.efficiency.isFinite, p.efficiency >= 0, p.efficiency <= 1 else {
                throw PhysicsError(.invalidResponse, field: "efficiency[\(i)]",
                                   "needs a finite energy and an efficiency in [0, 1], got (\(p.energyKeV), \(p.efficiency))")
            }
            if i > 0, !(p.energyKeV > efficiency[i - 1].energyKeV) {
                throw PhysicsError(.invalidResponse, field: "efficiency[\(i)]", "energies must be strictly increasing")
            }
        }
        self.resolutionAKeV = resolutionAKeV
        self.resolutionBKeV = resolutionBKeV
        self.resolutionC = resolutionC
        self.efficiencyTable = efficiency.map { EfficiencyPoint(energyKeV: $0.energyKeV, efficiency: $0.efficiency) }
    }

    /// True when σ is zero everywhere (no smearing, efficiency only).
    public var isPerfectResolution: Bool { resolutionAKeV == 0 && resolutionBKeV == 0 && resolutionC == 0 }

    /// σ(E) in keV at true energy E (keV).
    public func sigmaKeV(energyKeV e: Double) -> Double {
        let e = max(e, 0)
        return (resolutionAKeV * resolutionAKeV + resolutionBKeV * e + resolutionC * e * e).squareRoot()
    }

    /// ε(E): linear between table points, clamped outside, 1 for an empty table.
    public func efficiency(energyKeV e: Double) -> Double {
        let (p, q) = efficiencyLine(at: e)
        return p + q * e
    }

    /// Energies where ε has a kink (the table points).
    public var efficiencyNodesKeV: [Double] { efficiencyTable.map(\.energyKeV) }

    /// ε(E) = p + q E on the table segment containing E (q = 0 where clamped).
    func efficiencyLine(at e: Double) -> (p: Double, q: Double) {
        guard let first = efficiencyTable.first, let last = efficiencyTable.last else { return (1, 0) }
        if e <= first.energyKeV { return (first.efficiency, 0) }
        if e >= last.energyKeV { return (last.efficiency, 0) }
        // Largest i with x_i ≤ e (binary search).
        var lo = 0, hi = efficiencyTable.count - 1
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if efficiencyTable[mid].energyKeV <= e { lo = mid } else { hi = mid }
        }
        let a = efficiencyTable[lo], b = efficiencyTable[hi]
        let q = (b.efficiency - a.efficiency) / (b.energyKeV - a.energyKeV)
        return (a.efficiency - q * a.energyKeV, q)
    }

    /// Probability that an event of true energy T is observed in [lowKeV, highKeV) and
    /// accepted: ∫ ε(E) G(E; T, σ(T)) dE over the bin, exact for the piecewise-linear ε
    /// (erf and Gaussian terms; no truncation). With σ = 0 it is ε(T) inside the bin, else 0.
    public func binAcceptance(trueEnergyKeV t: Double, observedLowKeV lo: Double, observedHighKeV hi: Double) -> Double {
        let sigma = sigmaKeV(energyKeV: t)
        guard sigma > 0 else { return (t >= lo && t < hi) ? efficiency(energyKeV: t) : 0 }
        var cuts = [lo]
        for node in efficiencyTable where node.energyKeV > lo && node.energyKeV < hi { cuts.append(node.energyKeV) }
        cuts.append(hi)
        var total = 0.0
        for i in 0..<(cuts.count - 1) {
            let u = cuts[i], v = cuts[i + 1]
            let (p, q) = efficiencyLine(at: 0.5 * (u + v))
            let zu = (u - t) / sigma, zv = (v - t) / sigma
            // Φ(zv) − Φ(zu), in the erfc form on the upper tail to avoid cancellation.
            let dPhi = zu > 0 ? 0.5 * (erfc(zu / 2.0.squareRoot()) - erfc(zv / 2.0.squareRoot()))
                              : 0.5 * (erf(zv / 2.0.squareRoot()) - erf(zu / 2.0.squareRoot()))
            // ∫ E G dE = T ΔΦ − σ² [g(v) − g(u)],  g(x) = exp(−z²/2)/(σ√2π).
            let norm = 1 / (sigma * (2 * Double.pi).squareRoot())
            let dg = norm * (exp(-0.5 * zv * zv) - exp(-0.5 * zu * zu))
            total += p * dPhi + q * (t * dPhi - sigma * sigma * dg)
        }
        return total
    }
}
