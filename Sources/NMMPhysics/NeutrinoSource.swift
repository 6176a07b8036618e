import NMMCore
/// A monoenergetic neutrino line at the detector: dφ/dE = φ_line δ(E − E_line).
public struct NeutrinoLine: Sendable, Hashable {
    public let name: String
    public let energyKeV: Double
    public let fluxPerCm2PerS: Double
    public init(name: String, energyKeV: Double, fluxPerCm2PerS: Double) {
        self.name = name
        self.energyKeV = energyKeV
        self.fluxPerCm2PerS = fluxPerCm2PerS
    }
}

/// The neutrino source of an analysis (issue 18): a choice, switched on exhaustively.
/// Its flux at the detector is a continuous spectrum, a set of lines, or both; its flavour
/// fixes the SM couplings of ν–e scattering (seed Eq. 5).
public enum NeutrinoSource: Sendable {
    /// Reactor ν̄e from fission products and ²³⁹U/²³⁹Np (physics.md §3).
    case reactor(ReactorSource)
    /// Reactor ν_e lines from ⁵¹Cr and ⁵⁵Fe electron capture (seed §4.3, physics.md §9).
    case reactorLines(ReactorLineSource)
    /// A tritium β⁻ source: ν̄e up to 18.591 keV (seed §5, MAMMONT).
    case tritium(TritiumSource)

    /// The choice as the config names it (`source.kind`): NMMCore's `SourceKind`.
    public typealias Kind = SourceKind

    public var kind: Kind {
        switch self {
        case .reactor: return .reactor
        case .reactorLines: return .reactorLines
        case .tritium: return .tritium
        }
    }

    /// The flavour the source emits (`SourceKind.flavor`).
    public var flavor: NeutrinoFlavor { kind.flavor }

    /// Total flux at the detector (cm⁻² s⁻¹), lines included.
    public var totalFluxPerCm2PerS: Double {
        switch self {
        case .reactor(let s): return s.totalFluxPerCm2PerS
        case .reactorLines(let s): return s.totalFluxPerCm2PerS
        case .tritium(let s): return s.totalFluxPerCm2PerS
        }
    }

    /// The discrete lines (empty for continuous sources).
    public var lines: [NeutrinoLine] {
        if case .reactorLines(let s) = self { return s.lines }
        return []
    }

    /// The continuous part dφ/dE (cm⁻² s⁻¹ keV⁻¹) at E (keV); 0 for a line source.
    public func continuousFluxPerCm2PerSPerKeV(energyKeV e: Double) -> Double {
        switch self {
        case .reactor(let s):
            return s.fluxPerCm2PerSPerMeV(energyMeV: e / PhysicsConstants.keVPerMeV) / PhysicsConstants.keVPerMeV
        case .reactorLines: return 0
        case .tritium(let s): return s.fluxPerCm2PerSPerKeV(energyKeV: e)
        }
    }

    /// Highest neutrino energy (keV).
    public var maxEnergyKeV: Double {
        switch self {
        case .reactor(let s): return s.maxEnergyMeV * PhysicsConstants.keVPerMeV
        case .reactorLines(let s): return s.lines.map(\.energyKeV).max() ?? 0
        case .tritium(let s): return s.endpointKeV
        }
    }

    /// A one-line description for output headers and reports.
    public var summary: String {
        switch self {
        case .reactor(let s):
            return "reactor anti-nu_e, \(s.totalFluxPerCm2PerS) /cm2/s; " + ReactorSource.lowEnergyTreatment
        case .reactorLines(let s):
            return "reactor nu_e lines " + s.lines.map { "\($0.name) \($0.energyKeV) keV \($0.fluxPerCm2PerS) /cm2/s" }
                .joined(separator: ", ") + "; " + ReactorLineSource.splitAssumption
        case .tritium(let s):
            return "tritium anti-nu_e, Q = \(s.endpointKeV) keV, \(s.totalFluxPerCm2PerS) /cm2/s; " + TritiumSource.shapeNote
        }
    }
}
