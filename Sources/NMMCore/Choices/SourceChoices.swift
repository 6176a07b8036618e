/// The neutrino source of an analysis (`source.kind`); the physics of each is NMMPhysics'
/// `NeutrinoSource` (whose `Kind` is this type).
public enum SourceKind: String, ConfigChoice {
    /// Reactor ν̄e from fission products and ²³⁸U(n,γ) (the `reactor` section; physics.md §3).
    case reactor
    /// The reactor's own ν_e lines, ⁵¹Cr 747 keV and ⁵⁵Fe 231 keV (seed §4.3; physics.md §9).
    case reactorLines = "reactor-lines"
    /// A tritium β⁻ source: ν̄e up to 18.591 keV (seed §5, MAMMONT).
    case tritium

    /// The flavour the source emits: ν̄e (reactor, tritium) or ν_e (electron-capture lines).
    public var flavor: NeutrinoFlavor {
        switch self {
        case .reactor, .tritium: .antiNuE
        case .reactorLines: .nuE
        }
    }
}

/// How a nuclear recoil shows up in electron-equivalent energy (`coherent.quenching.model`);
/// the physics is NMMPhysics' `QuenchingModel` (whose `Kind` is this type).
public enum QuenchingKind: String, ConfigChoice {
    /// Y = 1: the detector sees the whole nuclear recoil (e.g. a phonon calorimeter).
    case none
    /// Lindhard theory with the k of `coherent.quenching.k`.
    case lindhard
    /// Y(T_N) tabulated in `coherent.quenching.table`, linear between points.
    case table
}
