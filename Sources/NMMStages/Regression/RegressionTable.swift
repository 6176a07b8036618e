import Foundation

/// The `make regression` table: published limit, nmm's expected band and Asimov limit.
public enum RegressionTable {
    public static func text(_ rows: [RegressionRun.Row], toysPerPoint: Int) -> String {
        func mu(_ x: Double) -> String { String(format: "%.2e", x) }
        var s = "| experiment | published (90% CL) | nmm expected, median [−1σ, +1σ] (toys) | nmm Asimov (Gaussian belt) | ratio Asimov/published | σ_κ (Asimov) | Asimov without systematics | with/without | method |\n"
        s += "|---|---|---|---|---|---|---|---|---|\n"
        for r in rows {
            let band = r.expectedMuBohr.count == 5 ? "\(mu(r.expectedMuBohr[2])) [\(mu(r.expectedMuBohr[1])), \(mu(r.expectedMuBohr[3]))]" : "n/a"
            s += "| \(r.publishedName) | \(mu(r.publishedMuBohr)) | \(band) | \(mu(r.asimovMuBohr)) | \(String(format: "%.2f", r.ratio)) | \(String(format: "%.3f", r.asimovKappaSigma)) | \(mu(r.asimovNoSystematicsMuBohr)) | \(String(format: "%.3f", r.asimovMuBohr / r.asimovNoSystematicsMuBohr)) | FC, \(r.statistic) toys (\(toysPerPoint)/point) |\n"
        }
        s += "\nLimits on each Poisson fixture (κ in 1e-20 μ_B², μ_ν in μ_B):\n\n| experiment | fit | limit | κ̂ | σ_κ | μ_ν limit |\n|---|---|---|---|---|---|\n"
        for r in rows {
            for d in r.dataLimits {
                s += "| \(r.publishedName) | \(d.fit) | \(d.limit) | \(String(format: "%+.3f", d.kappaHat)) | \(String(format: "%.3f", d.kappaSigma)) | \(mu(d.muBohr)) |\n"
            }
        }
        return s
    }
}
