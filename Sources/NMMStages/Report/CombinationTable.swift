import Foundation
import NMMCore
import NMMPlot

/// For a combination (`model.combine`): the combined limit beside each member's own, with a
/// link to each member's report (its spectra and residual), read from
/// <build>/<experiment>/members/<member>/ where the model stage ran them.
struct CombinationTable {
    struct Row {
        var dataSet: String
        var line: String
        var kappa: String
        var report: String?
    }

    /// The rows, or [] when the config combines nothing. A member without a limit file is
    /// named as missing rather than skipped.
    static func rows(_ inputs: ReportInputs, config: AnalysisConfig, reportDirectory: String) throws -> [Row] {
        let members = config.model?.combine ?? []
        guard !members.isEmpty else { return [] }
        let buildFolder = (reportDirectory as NSString).deletingLastPathComponent
        var rows = [Row(dataSet: "combined (\(config.model?.dataSet ?? config.experiment) + \(members.count) more)",
                        line: inputs.limit.headline, kappa: ReportText.valueWithError(inputs.limit.kappaHat, inputs.limit.kappaSigma),
                        report: nil)]
        for path in members {
            let member = try ConfigLoader.load(path: config.resolve(path))
            let paths = Pipeline.memberPaths(beside: (buildFolder as NSString).appendingPathComponent("model.fits"),
                                             experiment: member.experiment)
            guard let limit = try? ProductStore.read(LimitProduct.self, from: paths.limit).0 else {
                rows.append(Row(dataSet: member.experiment, line: "no limit file at \(paths.limit)", kappa: "", report: nil))
                continue
            }
            let page = (paths.report as NSString).appendingPathComponent("index.html")
            rows.append(Row(dataSet: member.experiment, line: limit.headline,
                            kappa: ReportText.valueWithError(limit.kappaHat, limit.kappaSigma),
                            report: FileManager.default.fileExists(atPath: page)
                                ? "../members/\(member.experiment)/report/index.html" : nil))
        }
        return rows
    }

    static func html(_ rows: [Row]) -> String {
        guard !rows.isEmpty else { return "" }
        let e = SVGText.escape
        let body = rows.map { r in
            let link = r.report.map { " <a href=\"\(e($0))\">report</a>" } ?? ""
            return "<tr><th scope=\"row\">\(e(r.dataSet))\(link)</th><td>\(e(r.kappa))</td><td>\(e(r.line))</td></tr>"
        }.joined(separator: "\n")
        return """
            <h2 id="combination">Combined and individual results</h2>
            <table class="summary">
            <thead><tr><th>data set</th><th>κ̂ ± σ [10⁻²⁰ μ_B²]</th><th>limit</th></tr></thead>
            <tbody>
            \(body)
            </tbody>
            </table>
            """
    }
}
