import Foundation
import NMMStatistics

/// How nmm's parameters appear in an exported pyhf workspace, and the map between the two
/// parameter spaces (`PyhfExport` says why each modifier became what it is):
///   • κ, free and held normalisations, the lumi normalisation θ and shape parameters α keep
///     their value (`identity`);
///   • other Gaussian normalisations θ ~ N(1, σ) become a unit-Gaussian α with θ = 1 + σα;
///   • log-normal normalisations (ln θ ~ N(0, σ)) become a unit-Gaussian α with θ = e^{σα};
///   • the background rate b_i of bin i becomes the shapefactor γ_i = b_i / b0_i, b0_i the
///     reference rate of that bin (the sample's nominal data is exposure × b0).
public struct PyhfParameterMap: Sendable, Equatable {
    public enum Transform: Sendable, Equatable {
        case identity
        /// pyhf α = (θ − 1)/σ.
        case gaussianAlpha(sigma: Double)
        /// pyhf α = ln θ / σ.
        case logNormalAlpha(sigma: Double)
    }

    public struct Entry: Sendable, Equatable {
        /// κ (`StatisticalModel.poiName`) or the modifier's name in the model.
        public var nmmName: String
        public var pyhfName: String
        public var transform: Transform
    }

    public struct Background: Sendable, Equatable {
        /// The shapefactor shared by the data set's ON and OFF channels.
        public var pyhfName: String
        /// b0_i, count/(kg·keV·day).
        public var referenceRate: [Double]
    }

    /// κ first, then every modifier of the model in its order.
    public var entries: [Entry]
    /// One per data set, in the model's order.
    public var backgrounds: [Background]

    public func entry(nmmName: String) -> Entry? { entries.first { $0.nmmName == nmmName } }

    /// The pyhf parameters (by name, a vector each) at an explicit nmm point. Modifiers the
    /// point leaves out take their held or nominal value, as in `minusTwoLogLikelihood`.
    public func pyhfParameters(at point: ModelParameterPoint, of model: StatisticalModel) -> [String: [Double]] {
        var out: [String: [Double]] = [:]
        for e in entries {
            let value = e.nmmName == StatisticalModel.poiName ? point.kappa
                : model.modifier(named: e.nmmName).map { model.modifierValue($0, at: point) } ?? .nan
            out[e.pyhfName] = [Self.forward(value, e.transform)]
        }
        for (d, b) in backgrounds.enumerated() {
            out[b.pyhfName] = zip(point.backgroundRates[d], b.referenceRate).map { $0 / $1 }
        }
        return out
    }

    /// nmm's value of a parameter from pyhf's (the inverse transform).
    public func nmmValue(_ entry: Entry, pyhfValue a: Double) -> Double {
        switch entry.transform {
        case .identity: a
        case .gaussianAlpha(let s): 1 + s * a
        case .logNormalAlpha(let s): exp(s * a)
        }
    }

    /// pyhf's −2 ln L minus nmm's (`LikelihoodConstants.included`) at the same point: the
    /// normal densities of re-parametrised constraints are normalised in α, not in θ or ln θ
    /// (the Jacobian of α ↔ θ), so −Σ ln σ² over those modifiers.
    public var constantOffset: Double {
        entries.reduce(0) { sum, e in
            switch e.transform {
            case .identity: sum
            case .gaussianAlpha(let s), .logNormalAlpha(let s): sum - log(s * s)
            }
        }
    }

    static func forward(_ value: Double, _ t: Transform) -> Double {
        switch t {
        case .identity: value
        case .gaussianAlpha(let s): (value - 1) / s
        case .logNormalAlpha(let s): log(value) / s
        }
    }
}
