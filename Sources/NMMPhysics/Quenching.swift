import Foundation
import NMMCore

/// One point of a tabulated quenching factor: Y at nuclear recoil T_N.
public struct QuenchingPoint: Sendable, Equatable {
    public let nuclearRecoilKeV: Double
    public let yield: Double
    public init(nuclearRecoilKeV: Double, yield: Double) {
        self.nuclearRecoilKeV = nuclearRecoilKeV
        self.yield = yield
    }
}

/// How a nuclear recoil T_N shows up in electron-equivalent energy: E_ee = Y(T_N)·T_N
/// (physics.md §8). A choice, since the Ge quenching below 1 keV_nr is disputed (Li, Herrera,
/// Huber, arXiv:2502.12308: the μ_ν reach moves by up to 10× with the model).
public enum QuenchingModel: Sendable, Equatable {
    /// Y = 1: the nuclear recoil energy itself (the seed's Fig. 4 axis).
    case unquenched
    /// Lindhard theory (Lindhard, Nielsen, Scharff, Thomsen, Mat. Fys. Medd. Dan. Vid.
    /// Selsk. 33 no. 10 (1963)) in the usual parametrisation (e.g. Lewin & Smith 1996):
    /// Y = k g(ε)/(1 + k g(ε)), g(ε) = 3ε^0.15 + 0.7ε^0.6 + ε, ε = 11.5 Z^(−7/3) T_N[keV].
    case lindhard(k: Double)
    /// Y(T_N) tabulated, linear between points, clamped to the end values outside.
    case tabulated([QuenchingPoint])

    /// The choice as the config names it (`coherent.quenching.model`): NMMCore's `QuenchingKind`.
    public typealias Kind = QuenchingKind

    public var kind: Kind {
        switch self {
        case .unquenched: return .none
        case .lindhard: return .lindhard
        case .tabulated: return .table
        }
    }

    /// Lindhard's k = 0.133 Z^(2/3) A^(−1/2) (Lindhard et al. 1963; physics.md §8): 0.1573 for Ge
    /// (Z = 32, A = 72.63). TEXONO uses k = 0.162 (physics.md §7).
    public static func lindhardK(atomicNumber z: Int, massNumber a: Double) -> Double {
        lindhardKCoefficient * pow(Double(z), 2.0 / 3.0) / a.squareRoot()
    }
    /// 0.133 in k = 0.133 Z^(2/3) A^(−1/2) (Lindhard et al. 1963).
    public static let lindhardKCoefficient = 0.133
    /// 11.5 keV⁻¹ in ε = 11.5 Z^(−7/3) T_N (Lindhard et al. 1963, reduced energy).
    public static let lindhardEpsilonPerKeV = 11.5

    /// Checks k > 0 or the table (energies > 0 strictly increasing, 0 < Y ≤ 1, and E_ee = Y·T_N
    /// strictly increasing, so that it can be inverted).
    public func validated() throws -> QuenchingModel {
        switch self {
        case .unquenched: break
        case .lindhard(let k):
            guard k.isFinite, k > 0 else { throw PhysicsError(.invalidValue, field: "quenching.k", "must be > 0, got \(k)") }
        case .tabulated(let points):
            guard !points.isEmpty else { throw PhysicsError(.invalidValue, field: "quenching.table", "is empty") }
            for (i, p) in points.enumerated() {
                guard p.nuclearRecoilKeV.isFinite, p.nuclearRecoilKeV > 0, p.yield.isFinite, p.yield > 0, p.yield <= 1 else {
                    throw PhysicsError(.invalidValue, field: "quenching.table[\(i)]",
                                       "needs T_N > 0 and 0 < Y ≤ 1, got (\(p.nuclearRecoilKeV), \(p.yield))")
                }
                if i > 0 {
                    let q = points[i - 1]
                    guard p.nuclearRecoilKeV > q.nuclearRecoilKeV else {
                        throw PhysicsError(.invalidValue, field: "quenching.table[\(i)]", "energies must be strictly increasing")
                    }
                    // E_ee = (α + βT)T on the segment: increasing iff α + 2βT > 0 at both ends.
                    let beta = (p.yield - q.yield) / (p.nuclearRecoilKeV - q.nuclearRecoilKeV), alpha = q.yield - beta * q.nuclearRecoilKeV
                    guard alpha + 2 * beta * q.nuclearRecoilKeV > 0, alpha + 2 * beta * p.nuclearRecoilKeV > 0 else {
                        throw PhysicsError(.invalidValue, field: "quenching.table[\(i)]",
                                           "Y·T_N must increase with T_N (Y falls too fast)")
                    }
                }
            }
        }
        return self
    }

    /// Y(T_N) for a nucleus of atomic number Z.
    public func yield(nuclearRecoilKeV t: Double, atomicNumber z: Int) -> Double {
        yieldAndSlope(t, z).y
    }

    /// E_ee = Y(T_N)·T_N (keV).
    public func electronEquivalentKeV(nuclearRecoilKeV t: Double, atomicNumber z: Int) -> Double {
        t <= 0 ? 0 : yieldAndSlope(t, z).y * t
    }

    /// dE_ee/dT_N = Y + T_N dY/dT_N.
    public func electronEquivalentSlope(nuclearRecoilKeV t: Double, atomicNumber z: Int) -> Double {
        let (y, dy) = yieldAndSlope(t, z)
        return y + t * dy
    }

    /// The Jacobian dT_N/dE_ee at nuclear recoil T_N: 1/(Y + T_N dY/dT_N).
    public func jacobian(nuclearRecoilKeV t: Double, atomicNumber z: Int) -> Double {
        1 / electronEquivalentSlope(nuclearRecoilKeV: t, atomicNumber: z)
    }

    /// The nuclear recoil T_N (keV) that shows up as E_ee (keV): the inverse of
    /// `electronEquivalentKeV`, by bisection in ln T_N to 10⁻¹³ relative.
    public func nuclearRecoilKeV(electronEquivalentKeV e: Double, atomicNumber z: Int) -> Double {
        guard e > 0 else { return 0 }
        if case .unquenched = self { return e }
        // Y ≤ 1 ⇒ T_N ≥ E_ee; grow the upper end until E_ee(T) ≥ e.
        var lo = e, hi = 2 * e
        while electronEquivalentKeV(nuclearRecoilKeV: hi, atomicNumber: z) < e { lo = hi; hi *= 2 }
        for _ in 0..<200 {
            let mid = (lo * hi).squareRoot()
            if electronEquivalentKeV(nuclearRecoilKeV: mid, atomicNumber: z) < e { lo = mid } else { hi = mid }
            if hi - lo <= 1e-13 * hi { break }
        }
        return (lo * hi).squareRoot()
    }

    /// (Y, dY/dT_N) at T_N.
    private func yieldAndSlope(_ t: Double, _ z: Int) -> (y: Double, dy: Double) {
        switch self {
        case .unquenched:
            return (1, 0)
        case .lindhard(let k):
            let scale = Self.lindhardEpsilonPerKeV * pow(Double(z), -7.0 / 3.0)
            let eps = scale * max(t, .leastNormalMagnitude)
            let g = 3 * pow(eps, 0.15) + 0.7 * pow(eps, 0.6) + eps
            let dg = 0.45 * pow(eps, -0.85) + 0.42 * pow(eps, -0.4) + 1
            let d = 1 + k * g
            return (k * g / d, k / (d * d) * dg * scale)
        case .tabulated(let points):
            guard let first = points.first, let last = points.last else { return (1, 0) }
            if t <= first.nuclearRecoilKeV { return (first.yield, 0) }
            if t >= last.nuclearRecoilKeV { return (last.yield, 0) }
            var lo = 0, hi = points.count - 1
            while hi - lo > 1 {
                let mid = (lo + hi) / 2
                if points[mid].nuclearRecoilKeV <= t { lo = mid } else { hi = mid }
            }
            let a = points[lo], b = points[hi]
            let slope = (b.yield - a.yield) / (b.nuclearRecoilKeV - a.nuclearRecoilKeV)
            return (a.yield + slope * (t - a.nuclearRecoilKeV), slope)
        }
    }
}
