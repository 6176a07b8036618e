/// Equal-width energy bins [low + i·width, low + (i+1)·width), i = 0 … n−1, with
/// n = (high − low)/width (a whole number; the config checks it). An event at an edge
/// belongs to the bin above it; events below `low` or at or above the last edge are outside.
public struct EnergyBinning: Equatable, Sendable {
    public let edgesKeV: [Double]

    /// `spec` = [lowKeV, highKeV, widthKeV] (config `inputs.binningKeV`).
    public init(_ spec: [Double]) {
        let (low, high, width) = (spec[0], spec[1], spec[2])
        let n = Int(((high - low) / width).rounded())
        edgesKeV = (0...n).map { low + Double($0) * width }
    }

    public var binCount: Int { edgesKeV.count - 1 }
    public var lowEdgesKeV: [Double] { Array(edgesKeV.dropLast()) }
    public var highEdgesKeV: [Double] { Array(edgesKeV.dropFirst()) }

    /// The bin holding `energyKeV` (binary search), or nil outside the binning.
    public func bin(of energyKeV: Double) -> Int? {
        guard energyKeV >= edgesKeV[0], energyKeV < edgesKeV[edgesKeV.count - 1] else { return nil }
        var lo = 0, hi = edgesKeV.count - 1   // edges[lo] ≤ e < edges[hi]
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if edgesKeV[mid] <= energyKeV { lo = mid } else { hi = mid }
        }
        return lo
    }
}
