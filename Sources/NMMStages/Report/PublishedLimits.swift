import NMMPlot

/// Published reactor ν̄e magnetic-moment limits (90% CL) and their exposures, for the
/// sensitivity figure. Each row cites its paper; the fixtures' READMEs (Fixtures/<experiment>/README.md)
/// give every number behind the reproduced ones.
/// Exposure = detector mass × reactor-ON live time.
struct PublishedLimit: Sendable {
    /// The `experiment` name of this repository's config that reproduces it, if any.
    var configExperiment: String?
    var name: String
    var exposureKgDay: Double
    var muLimitBohr: Double
    var anchor: LabelAnchor
    /// The paper, as a reader would look it up.
    var citation: String
    /// How the paper turned its data into the limit, as far as our sources say (physics.md §7).
    var method: String = "method not stated in our sources"

    static let all: [PublishedLimit] = [
        // TEXONO-KS 2003: 1.06 kg HPGe, 4712 h ON → 1.06 × 4712/24 = 208.1 kg·d; μ_ν < 1.3e-10 μ_B.
        // Li et al., PRL 90 (2003) 131802; seed.
        PublishedLimit(configExperiment: "texono2003", name: "TEXONO-KS 2003", exposureKgDay: 1.06 * 4712 / 24, muLimitBohr: 1.3e-10, anchor: .left,
                       citation: "Li et al., PRL 90 (2003) 131802",
                       // physics.md §7 (recon): κ = −0.4 ± 1.3 (stat) with the Gaussian FC belt reproduces both the 90% and 68% limits.
                       method: "Feldman–Cousins Gaussian belt on κ̂ ± σ_stat (reconstructed: reproduces the 90% and 68% limits)"),
        // TEXONO-KS 2007: 1.06 kg, 570.7 d ON → 605 kg·d; μ_ν < 7.4e-11 μ_B.
        // Wong et al., PRD 75 (2007) 012001 (live times reconstructed: Fixtures/texono2007/README.md).
        PublishedLimit(configExperiment: "texono2007", name: "TEXONO-KS 2007", exposureKgDay: 1.06 * 570.7, muLimitBohr: 7.4e-11, anchor: .right,
                       citation: "Wong et al., PRD 75 (2007) 012001"),
        // MUNU 2005: CF₄ TPC 11.4 kg, 66.6 d ON → 759 kg·d; μ_ν < 9e-11 μ_B.
        // Daraktchieva et al., PLB 615 (2005) 153; seed.
        PublishedLimit(configExperiment: "munu2005", name: "MUNU 2005", exposureKgDay: 11.4 * 66.6, muLimitBohr: 9e-11, anchor: .right,
                       citation: "Daraktchieva et al., PLB 615 (2005) 153"),
        // GEMMA 2007: 1.5 kg HPGe, 6200 h ON → 387.5 kg·d; μ_ν < 5.8e-11 μ_B.
        // Beda et al., arXiv:0705.4576.
        PublishedLimit(configExperiment: nil, name: "GEMMA 2007", exposureKgDay: 1.5 * 6200 / 24, muLimitBohr: 5.8e-11, anchor: .below,
                       citation: "Beda et al., arXiv:0705.4576"),
    ]

    /// "Sources: …" for a figure note: every paper, and the fixtures' READMEs.
    static var sourcesNote: String {
        "Sources: " + all.map { "\($0.name): \($0.citation)" }.joined(separator: "; ")
            + "; exposures and inputs as in Fixtures/<experiment>/README.md."
    }

    static func forExperiment(_ experiment: String) -> PublishedLimit? {
        all.first { $0.configExperiment == experiment }
    }
}
