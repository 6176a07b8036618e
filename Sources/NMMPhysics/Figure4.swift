import Foundation

/// The four processes of seed Fig. 4.
public enum Figure4Process: String, CaseIterable, Sendable, Hashable {
    case electronSM = "nu-e SM", electronMM = "nu-e MM", coherentSM = "coherent SM", coherentMM = "coherent MM"
}

/// Seed Fig. 4: ν–e SM and MM and coherent ν–N SM and MM rates against recoil energy for a
/// source and target (counts/(kg keV day), MM at 10⁻¹⁰ μ_B), and where each takes over.
///
/// Axis `.trueRecoil` is the seed's: electron recoil T for ν–e, nuclear recoil T_N for ν–N.
/// Axis `.electronEquivalent` is what a detector sees: T for ν–e, E_ee = Y(T_N)·T_N with the
/// Jacobian for ν–N (the `CoherentRates` quenching model).
public struct Figure4: Sendable {
    public enum Axis: String, Sendable { case trueRecoil, electronEquivalent }

    /// A change of the dominant process at `energyKeV`, going up in energy.
    public struct Crossing: Sendable, Equatable {
        public let below: Figure4Process
        public let above: Figure4Process
        public let energyKeV: Double
    }

    public let electron: ElectronRecoilRates
    public let coherent: CoherentRates
    public let axis: Axis

    public init(electron: ElectronRecoilRates, coherent: CoherentRates, axis: Axis) {
        self.electron = electron
        self.coherent = coherent
        self.axis = axis
    }

    /// The four rates at one energy (keV on this figure's axis).
    public func rates(energyKeV e: Double) -> [Figure4Process: Double] {
        let el = electron.differentialRates(recoilKeV: e)
        let coh: (smPerKgKeVDay: Double, mmPerKgKeVDay: Double)
        switch axis {
        case .trueRecoil: coh = coherent.nuclearRecoilRates(nuclearRecoilKeV: e)
        case .electronEquivalent: coh = coherent.differentialRates(electronEquivalentKeV: e)
        }
        return [.electronSM: el.smPerKgKeVDay, .electronMM: el.mmPerKgKeVDay,
                .coherentSM: coh.smPerKgKeVDay, .coherentMM: coh.mmPerKgKeVDay]
    }

    /// The curves on a log grid from `lowKeV` to `highKeV`, `pointsPerDecade` per decade.
    public func curves(lowKeV: Double, highKeV: Double, pointsPerDecade: Int = 20)
        -> [(energyKeV: Double, rates: [Figure4Process: Double])] {
        Self.logGrid(lowKeV, highKeV, pointsPerDecade).map { ($0, rates(energyKeV: $0)) }
    }

    /// The process with the largest rate at `energyKeV` (nil if all vanish).
    public func dominant(energyKeV e: Double) -> Figure4Process? {
        let r = rates(energyKeV: e)
        let best = Figure4Process.allCases.max { r[$0]! < r[$1]! }!
        return r[best]! > 0 ? best : nil
    }

    /// Every change of the dominant process between `lowKeV` and `highKeV`: found on a log
    /// grid of `pointsPerDecade`, then located by bisection in ln E to 10⁻⁶ relative.
    public func dominanceChanges(lowKeV: Double, highKeV: Double, pointsPerDecade: Int = 40) -> [Crossing] {
        let grid = Self.logGrid(lowKeV, highKeV, pointsPerDecade)
        var result: [Crossing] = []
        var previous = dominant(energyKeV: grid[0])
        for i in 1..<grid.count {
            let current = dominant(energyKeV: grid[i])
            if let a = previous, let b = current, a != b {
                var lo = grid[i - 1], hi = grid[i]
                while hi / lo - 1 > 1e-6 {
                    let mid = (lo * hi).squareRoot()
                    if dominant(energyKeV: mid) == a { lo = mid } else { hi = mid }
                }
                result.append(Crossing(below: a, above: dominant(energyKeV: hi) ?? b, energyKeV: (lo * hi).squareRoot()))
            }
            previous = current
        }
        return result
    }

    /// Where processes `a` and `b` are equal, searching up from `lowKeV` to `highKeV` for the
    /// first sign change of rate(a) − rate(b) (nil if none).
    public func crossing(_ a: Figure4Process, _ b: Figure4Process, lowKeV: Double, highKeV: Double,
                         pointsPerDecade: Int = 40) -> Double? {
        let sign = { (e: Double) -> Bool in let r = rates(energyKeV: e); return r[a]! > r[b]! }
        let grid = Self.logGrid(lowKeV, highKeV, pointsPerDecade)
        for i in 1..<grid.count where sign(grid[i - 1]) != sign(grid[i]) {
            var lo = grid[i - 1], hi = grid[i]
            let s = sign(lo)
            while hi / lo - 1 > 1e-6 {
                let mid = (lo * hi).squareRoot()
                if sign(mid) == s { lo = mid } else { hi = mid }
            }
            return (lo * hi).squareRoot()
        }
        return nil
    }

    static func logGrid(_ low: Double, _ high: Double, _ perDecade: Int) -> [Double] {
        let decades = log10(high / low), n = max(Int((decades * Double(perDecade)).rounded(.up)), 1)
        return (0...n).map { low * pow(10, decades * Double($0) / Double(n)) }
    }
}
