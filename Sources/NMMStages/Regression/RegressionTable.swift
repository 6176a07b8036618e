import Foundation
import NMMCore
import NMMStatistics

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
        s += methodsTable(rows)
        return s
    }

    /// Each experiment's Poisson fixture under every method (when more than FC ran), beside the paper.
    static func methodsTable(_ rows: [RegressionRun.Row]) -> String {
        let methods = rows.flatMap { $0.methodLimits.map(\.method) }.reduce(into: [IntervalMethod]()) { if !$0.contains($1) { $0.append($1) } }
        guard methods.count > 1 else { return "" }
        func mu(_ k: Double) -> String { String(format: "%.2e", MagneticMomentUnits.muBohr(kappa: k)) }
        var s = "\nEach Poisson fixture under each method (μ_ν limit in μ_B; in brackets the method's expected median under κ = 0; ± the Monte Carlo error of toy limits):\n\n"
        s += "| experiment | published (90% CL) | its method | " + methods.map(\.displayName).joined(separator: " | ") + " |\n"
        s += "|---|---|---|" + String(repeating: "---|", count: methods.count) + "\n"
        for r in rows {
            let cells = methods.map { m -> String in
                guard let x = r.methodLimits.first(where: { $0.method == m }) else { return "—" }
                let err = x.monteCarloError.map { e in x.kappaUpper > 0 ? " ± " + String(format: "%.1e", MagneticMomentUnits.muBohr(kappa: x.kappaUpper) * e / (2 * x.kappaUpper)) : "" } ?? ""
                return mu(x.kappaUpper) + err + (x.expected.map { " (" + mu($0.median) + ")" } ?? "")
            }
            s += "| \(r.publishedName) | \(String(format: "%.2e", r.publishedMuBohr)) | \(r.publishedMethod) | " + cells.joined(separator: " | ") + " |\n"
        }
        return s
    }
}
