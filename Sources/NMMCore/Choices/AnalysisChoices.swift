/// The fit: χ² of the residual rate or the joint Poisson ON/OFF likelihood.
public enum FitMethod: String, ConfigChoice {
    /// χ² of the residual rate (ON/t_on − OFF/t_off) with Gaussian errors.
    case chi2
    /// Joint Poisson likelihood of ON and OFF counts, background profiled per bin.
    case poisson
}

/// Extra terms of the χ² residual model, c0 + c1·(E − E_ref), in counts/(kg·keV·day).
/// The Poisson ON/OFF fit ignores them: there the background is profiled per bin
/// (see `OnOffProfile`), which already absorbs any background shape.
public enum BackgroundTerms: String, ConfigChoice {
    case none, flat, linear
}

/// How the χ² fit assigns an error to each bin's residual rate r = n/α − m/β
/// (α = t_on·Δ, β = t_off·Δ).
public enum ResidualErrorRule: String, ConfigChoice {
    /// Neyman: σ² = max(n, 1)/α² + max(m, 1)/β² (errors from the observed counts, floor of
    /// one count). Biased when counts are modest: a low OFF count raises r and shrinks σ
    /// together (≈ +0.6 σ_κ on TEXONO-like data, see EstimatorBiasTests).
    case observedCounts = "observed"
    /// Pooled background-only estimate: b̂ = max(n + m, 1)/(α + β), σ² = b̂/α + b̂/β. Under
    /// the background-only hypothesis σ² is uncorrelated with r (Var n/α − Var m/β = 0), so
    /// the weights do not bias the fit; for a small signal the remaining bias is negligible.
    case pooled
    /// Pooled with the known signal taken out (statistics.md §3): with s the expected SM rate
    /// of the bin (at the fitted normalisations of the data set's unconditional best fit),
    /// b̂ = max(n + m − α·s, 1)/(α + β) and σ² = (b̂ + s)/α + b̂/β — the variance of r to first
    /// order when the SM is a sizeable part of ON (MUNU: 20–50% of the background), where
    /// `pooled` inflates b̂ by α·s/(α + β) and misweights the bins. With s = 0 it is `pooled`.
    case expected
}

/// The construction of the Feldman–Cousins belt.
public enum LimitMethod: String, ConfigChoice {
    /// The analytic belt for a Gaussian measurement of κ (σ from the fit).
    case gaussian
    /// The Neyman construction with toy Monte Carlo and the profile-likelihood ratio.
    case toys
}

/// Neutrino species; the couplings (seed Eq. 5) are in NMMPhysics.
public enum NeutrinoFlavor: String, ConfigChoice {
    case nuE = "nu_e", nuMu = "nu_mu", nuTau = "nu_tau"
    case antiNuE = "anti-nu_e", antiNuMu = "anti-nu_mu", antiNuTau = "anti-nu_tau"

    public var isAntineutrino: Bool {
        switch self {
        case .antiNuE, .antiNuMu, .antiNuTau: true
        case .nuE, .nuMu, .nuTau: false
        }
    }

    /// Electron flavour (charged current contributes): ν_e and ν̄_e.
    public var isElectronFlavor: Bool { self == .nuE || self == .antiNuE }
}

/// How a nuisance parameter acts on the samples it names.
public enum NuisanceKind: String, ConfigChoice {
    /// Multiplies the sample rates by θ (nominal 1).
    case normalisation
    /// Interpolates between −1σ, nominal and +1σ templates (α nominal 0, unit Gaussian).
    case shape
}

/// The constraint term of a normalisation nuisance.
public enum ConstraintKind: String, ConfigChoice {
    /// ((θ̃ − θ)/σ)², θ̃ = 1 nominally.
    case gaussian
    /// ((ln θ̃ − ln θ)/σ)²: θ stays positive; for widths of tens of per cent.
    case lognormal
    /// No constraint: a free normalisation.
    case free
}

/// Built-in generators of ±1σ shape templates (the templates stage computes them).
public enum ShapeGenerator: String, ConfigChoice {
    /// The reactor ν̄e spectrum below 2 MeV: the documented alternative low-energy treatments
    /// of the templates stage as −1σ/+1σ (see ReactorSource).
    case reactorBelow2MeV
    /// Energy scale: templates with the energy axis stretched by ∓size (fraction).
    case energyScale
    /// Detection efficiency: the efficiency table scaled by 1 ∓ size, clipped to [0, 1].
    case efficiency
    /// Quenching of nuclear recoils (coherent samples): Lindhard k, or the tabulated yields,
    /// scaled by 1 ∓ size.
    case quenching
}

/// The interval constructions nmm runs side by side on one model (statistics.md §5). Each
/// answers a different question; `fc` is the headline limit.
public enum IntervalMethod: String, ConfigChoice {
    /// Feldman–Cousins unified interval (limit.method: the analytic Gaussian belt or toys).
    case fc
    /// CLs = p_{s+b}/(1 − p_b) from toys with q̃_μ (Read 2002; ATLAS/CMS).
    case cls
    /// CLs+b = p_{s+b} from the same toys (the astroparticle convention).
    case clsb
    /// Asymptotic CLs (Cowan, Cranmer, Gross, Vitells, EPJC 71 (2011) 1554), Asimov bands.
    case asymptotic
    /// Bayesian, flat prior in κ ≥ 0, nuisances marginalised.
    case bayes
    /// Bayesian, flat prior in μ_ν ≥ 0 (∝ κ^(−1/2) in κ), nuisances marginalised.
    case bayesMu = "bayes-mu"
}
