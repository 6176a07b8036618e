import Foundation
import NMMCore

/// Drawing the global observables of toys and pseudo-experiments (statistics.md §2 step 2):
/// each constrained nuisance's auxiliary measurement is redrawn around the value the toy is
/// generated at, θ̂(κ_j) — the conditional fit of the observed data:
///  • Gaussian normalisation (σ):  θ̃ ~ N(θ̂, σ);
///  • log-normal normalisation (σ): ln θ̃ ~ N(ln θ̂, σ), i.e. θ̃ = θ̂·exp(σ z);
///  • shape (unit Gaussian):        α̃ ~ N(α̂, 1).
/// Free and fixed modifiers have no global observable.
extension ModifierConstraint {
    /// θ̃ for a standard-normal deviate `z`, centred on `center` (θ̂ or α̂).
    @inline(__always)
    public func globalObservable(center: Double, standardNormal z: Double) -> Double {
        switch self {
        case .gaussian(let s): center + s * z
        case .logNormal(let s): center * exp(s * z)
        case .free, .fixed: center
        }
    }
}

extension Xoshiro256StarStar {
    /// A standard-normal deviate by the Box–Muller transform of two 53-bit uniforms (one
    /// deviate per pair; u₁ ∈ (0, 1] so the logarithm is finite). Exact in distribution to
    /// double precision; deterministic for a given generator state.
    @inline(__always)
    public mutating func standardNormal() -> Double {
        let u1 = Double((next() >> 11) + 1) * 0x1p-53
        let u2 = uniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}

extension CompiledModel {
    /// Parameter indices of the fitted modifiers with a constraint term: the global observables
    /// a toy draws, in model order (the order of the draws in each toy's stream).
    var constrainedParameters: [Int] { fittedModifiers.filter { constraints[$0].isConstrained } }
}
