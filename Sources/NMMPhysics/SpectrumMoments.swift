import Foundation
import NMMCore

/// Cumulative inverse-energy moments of a ν̄e flux spectrum,
/// M_k(x) = ∫_x^Emax φ(E) E^(−k) dE for k = 0, 1, 2 (φ per cm² s keV, E and x in keV),
/// which is all the ν–e and coherent ν–N rates need: every cross section used here is a
/// polynomial in 1/E (seed Eqs. 4, 6, 8, 9).
///
/// Tabulated once per spectrum component on a fixed grid (log-spaced, `nodesPerDecade` per
/// decade from `lowestEnergyKeV` to 10 MeV, at most `maximumSpacingKeV` apart, plus every
/// kink of φ: the ²³⁹Np and ²³⁹U endpoints and the 2 MeV matching point, with extra nodes
/// crowding towards each), each
/// grid interval integrated by GSL QAGS at relative tolerance 10⁻¹¹; between nodes M_k is
/// interpolated by cubic Hermite using its exact derivative dM_k/dx = −φ(x) x^(−k)
/// (one-sided at kinks). Interpolated rates agree with direct integration to < 10⁻⁸ for
/// recoils from 10⁻⁴ keV to 8 MeV (measured 3×10⁻⁹; the tests require 10⁻⁶). Below `lowestEnergyKeV` φ is continued as the constant φ(x₀) (only electron
/// recoils below ~10⁻⁸ keV reach there).
struct SpectrumMoments: Sendable {
    let nodesKeV: [Double]
    /// moments[k][i] = M_k(nodesKeV[i]).
    let moments: [[Double]]
    /// φ just above and just below each node (per cm² s keV, or per event for components).
    let phiAbove: [Double]
    let phiBelow: [Double]

    static let nodesPerDecade = 100.0
    /// Upper bound on the node spacing; fine spacing keeps the interpolation accurate near the
    /// top of the spectrum, where M₀/T − M₁ and the SM combination cancel strongly.
    static let maximumSpacingKeV = 10.0
    static let lowestEnergyKeV = 1e-3
    static let gridRelativeTolerance = 1e-11

    /// The moments of a reactor source: the weighted sum of the cached component tables.
    init(source: ReactorSource) throws {
        let tables = try Self.componentTables.get()
        var moments = [[Double]](repeating: [Double](repeating: 0, count: Self.grid.count), count: 3)
        var above = [Double](repeating: 0, count: Self.grid.count), below = above
        for (component, weight) in source.componentWeights {
            let table: SpectrumMoments
            if case .fission(let isotope) = component, source.lowEnergyTiltScale != 1 {
                // A varied low-energy treatment (a shape nuisance): tabulated for this source only.
                let spectrum = try FissionSpectrum(isotope: isotope, lowEnergyTiltScale: source.lowEnergyTiltScale)
                let keV = PhysicsConstants.keVPerMeV
                table = try Self.tabulate(nodesKeV: Self.grid) { spectrum.perMeVPerFission(energyMeV: $0 / keV) / keV }
            } else {
                guard let cached = tables[component] else { continue }
                table = cached
            }
            for i in 0..<Self.grid.count {
                for k in 0..<3 { moments[k][i] += weight * table.moments[k][i] }
                above[i] += weight * table.phiAbove[i]
                below[i] += weight * table.phiBelow[i]
            }
        }
        self.init(nodesKeV: Self.grid, moments: moments, phiAbove: above, phiBelow: below)
    }

    private init(nodesKeV: [Double], moments: [[Double]], phiAbove: [Double], phiBelow: [Double]) {
        self.nodesKeV = nodesKeV
        self.moments = moments
        self.phiAbove = phiAbove
        self.phiBelow = phiBelow
    }

    /// (M₀, M₁, M₂) at x keV.
    func callAsFunction(_ x: Double) -> (m0: Double, m1: Double, m2: Double) {
        let n = nodesKeV.count
        guard x < nodesKeV[n - 1] else { return (0, 0, 0) }
        if x <= nodesKeV[0] {
            let x0 = nodesKeV[0], phi = phiAbove[0]
            let lx = max(x, .leastNormalMagnitude)
            return (moments[0][0] + phi * (x0 - lx), moments[1][0] + phi * log(x0 / lx),
                    moments[2][0] + phi * (1 / lx - 1 / x0))
        }
        var lo = 0, hi = n - 1
        while hi - lo > 1 {
            let mid = (lo + hi) >> 1
            if nodesKeV[mid] <= x { lo = mid } else { hi = mid }
        }
        let a = nodesKeV[lo], b = nodesKeV[hi], h = b - a
        let s = (x - a) / h, s2 = s * s, s3 = s2 * s
        let h00 = 2 * s3 - 3 * s2 + 1, h10 = s3 - 2 * s2 + s, h01 = -2 * s3 + 3 * s2, h11 = s3 - s2
        var out = (0.0, 0.0, 0.0)
        var ia = 1.0, ib = 1.0  // a^(−k), b^(−k)
        for k in 0..<3 {
            let da = -phiAbove[lo] * ia, db = -phiBelow[hi] * ib
            let v = h00 * moments[k][lo] + h10 * h * da + h01 * moments[k][hi] + h11 * h * db
            switch k { case 0: out.0 = v; case 1: out.1 = v; default: out.2 = v }
            ia /= a
            ib /= b
        }
        return out
    }

    // MARK: Grid and component tables (built once per process)

    /// Shared grid (keV).
    static let grid: [Double] = {
        let top = FissionSpectrum.maximumEnergyMeV * PhysicsConstants.keVPerMeV
        var nodes: Set<Double> = []
        let decades = log10(top / lowestEnergyKeV)
        let count = Int((decades * nodesPerDecade).rounded(.up))
        for i in 0...count { nodes.insert(lowestEnergyKeV * pow(10, decades * Double(i) / Double(count))) }
        nodes.insert(top)
        var e = maximumSpacingKeV * nodesPerDecade / Foundation.log(10)  // where the log step reaches the cap
        while e < top { nodes.insert(e); e += maximumSpacingKeV }
        for kink in SpectrumComponent.kinksMeV.map({ $0 * PhysicsConstants.keVPerMeV }) {
            nodes.insert(kink)
            // Crowd nodes towards the kink from both sides (β endpoints have √-type shapes).
            for j in 1...24 {
                let d = kink * 0.02 * pow(2, -Double(j) / 2)
                nodes.insert(kink - d)
                nodes.insert(kink + d)
            }
        }
        return nodes.filter { $0 >= lowestEnergyKeV && $0 <= top }.sorted()
    }()

    private static let componentTables: Result<[SpectrumComponent: SpectrumMoments], PhysicsError> = {
        do {
            var tables: [SpectrumComponent: SpectrumMoments] = [:]
            for component in SpectrumComponent.allCases { tables[component] = try build(component) }
            return .success(tables)
        } catch let error as PhysicsError {
            return .failure(error)
        } catch {
            return .failure(PhysicsError(.numerical, field: "spectrumMoments", "\(error)"))
        }
    }()

    /// Table of one component's per-event shape, in keV units (φ_keV(E) = S(E/1000)/1000).
    private static func build(_ component: SpectrumComponent) throws -> SpectrumMoments {
        let shapeMeV = try component.shapePerMeVPerEvent()
        let keV = PhysicsConstants.keVPerMeV
        return try tabulate(nodesKeV: grid) { shapeMeV($0 / keV) / keV }
    }

    /// Table of the moments of φ (per keV, any normalisation) on the given nodes (keV,
    /// increasing; φ taken as 0 above the last): each interval by GSL QAGS at relative
    /// tolerance `gridRelativeTolerance`. Used for the reactor components and for any other
    /// continuous source (`FluxMoments`).
    static func tabulate(nodesKeV nodes: [Double], _ phi: (Double) -> Double) throws -> SpectrumMoments {
        let n = nodes.count
        let integrator = Integrator(relativeTolerance: gridRelativeTolerance)
        var moments = [[Double]](repeating: [Double](repeating: 0, count: n), count: 3)
        for i in stride(from: n - 2, through: 0, by: -1) {
            let a = nodes[i], b = nodes[i + 1]
            for k in 0..<3 {
                let piece = try integrator.integrate(a, b, context: "tabulating spectrum moment M\(k)") { e in
                    k == 0 ? phi(e) : (k == 1 ? phi(e) / e : phi(e) / (e * e))
                }.value
                moments[k][i] = moments[k][i + 1] + piece
            }
        }
        let offset = 1e-12
        let above = nodes.map { phi($0 * (1 + offset)) }
        let below = nodes.map { phi($0 * (1 - offset)) }
        return SpectrumMoments(nodesKeV: nodes, moments: moments, phiAbove: above, phiBelow: below)
    }
}
