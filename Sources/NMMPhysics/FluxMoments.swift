import Foundation

/// M_k(x) = ∫_{E > x} φ(E) E^(−k) dE, k = 0, 1, 2 (φ per cm² s keV, E and x in keV) for any
/// `NeutrinoSource`: every cross section nmm uses (seed Eqs. 4, 6, 8, 9, the Helm F² being a
/// function of the recoil only) is a polynomial in 1/E, so a rate at recoil T is a
/// combination of M_k(E_min(T)). A line of flux φ_l at E_l adds φ_l E_l^(−k) for x < E_l
/// (its rate is the cross section at E_l times φ_l, for T < T_max(E_l)); the continuous part
/// comes from a `SpectrumMoments` table (reactor: the cached component tables; tritium:
/// its own table on a log grid crowding towards the endpoint).
struct FluxMoments: Sendable {
    let continuous: SpectrumMoments?
    let lines: [NeutrinoLine]

    init(source: NeutrinoSource) throws {
        lines = source.lines
        switch source {
        case .reactor(let s): continuous = try SpectrumMoments(source: s)
        case .reactorLines: continuous = nil
        case .tritium(let s): continuous = try Self.betaTable(s)
        }
    }

    func callAsFunction(_ x: Double) -> (m0: Double, m1: Double, m2: Double) {
        var m: (m0: Double, m1: Double, m2: Double) = continuous?(x) ?? (0, 0, 0)
        for line in lines where line.energyKeV > x {
            let e = line.energyKeV, f = line.fluxPerCm2PerS
            m.m0 += f
            m.m1 += f / e
            m.m2 += f / (e * e)
        }
        return m
    }

    /// Nodes per decade of the tritium table (from Q·10⁻⁶ to Q) and the crowding towards Q.
    static let betaNodesPerDecade = 100.0
    static let betaLowestFraction = 1e-6

    private static func betaTable(_ s: TritiumSource) throws -> SpectrumMoments {
        let q = s.endpointKeV
        var nodes: Set<Double> = [q]
        let decades = -log10(betaLowestFraction), count = Int((decades * betaNodesPerDecade).rounded(.up))
        for i in 0...count { nodes.insert(q * betaLowestFraction * pow(10, decades * Double(i) / Double(count))) }
        for j in 1...24 { nodes.insert(q * (1 - 0.02 * pow(2, -Double(j) / 2))) }
        return try SpectrumMoments.tabulate(nodesKeV: nodes.filter { $0 <= q }.sorted()) { s.fluxPerCm2PerSPerKeV(energyKeV: $0) }
    }
}
