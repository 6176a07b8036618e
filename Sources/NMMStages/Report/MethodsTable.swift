import NMMCore
import NMMStatistics
import NMMPlot

/// The index page's comparison of interval constructions (`limit.methods`): one row per method
/// with the question it answers, its limit (with the Monte Carlo error of toy limits) and its
/// expected limit and ±1σ band under κ = 0. Empty when only Feldman–Cousins ran.
enum MethodsTable {
    static func html(_ l: LimitProduct) -> String {
        let results = l.allMethodResults
        guard results.count > 1 else { return "" }
        let e = SVGText.escape
        func mu(_ k: Double) -> Double { MagneticMomentUnits.muBohr(kappa: k) }
        let body = results.map { r in
            let err = r.monteCarloError.map { x in r.kappaUpper > 0 ? " ± " + ReportText.mu(mu(r.kappaUpper) * x / (2 * r.kappaUpper)) : "" } ?? ""
            let expected = r.expected.map { b in
                "\(ReportText.mu(mu(b.median))) [\(ReportText.mu(mu(b.minus1Sigma))), \(ReportText.mu(mu(b.plus1Sigma)))]"
            } ?? "—"
            let how = r.notes.isEmpty ? "" : "<br/><small>\(e(r.notes.joined(separator: "; ")))</small>"
            return "<tr><th scope=\"row\">\(e(r.method.displayName))</th><td>\(e(r.method.question))\(how)</td>"
                + "<td>\(e(ReportText.mu(mu(r.kappaUpper)) + err)) μ_B</td><td>\(e(ReportText.general(r.kappaUpper)))</td>"
                + "<td>\(e(expected))</td><td>\(r.toys)</td></tr>"
        }.joined(separator: "\n")
        return """
            <h2 id="methods">One data set, several constructions</h2>
            <table class="summary">
            <thead><tr><th>construction</th><th>question it answers</th><th>μ_ν limit (\(e(ReportText.percent(l.confidenceLevel))) CL; ± Monte Carlo error)</th><th>κ_up [10⁻²⁰ μ_B²]</th><th>expected μ_ν limit, median [−1σ, +1σ]</th><th>toys</th></tr></thead>
            <tbody>
            \(body)
            </tbody>
            </table>
            """
    }
}
