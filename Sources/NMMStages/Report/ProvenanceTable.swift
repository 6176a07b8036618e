import NMMCore
import NMMStatistics
import NMMPlot

/// The provenance section of index.html: for each input file its path, SHA-256, NMMTYPE,
/// schema, tool version, DATE, CFGSHA and every PARENTn with PSHAn. A parent hash that equals
/// another input of this report, or a CFGSHA equal to the current config, is marked ✓, so a
/// mix of files from different runs stands out.
struct ProvenanceTable {
    func html(_ inputs: ReportInputs, config: AnalysisConfig) -> String {
        let e = SVGText.escape
        let ours = Set(inputs.files.map(\.sha256))
        var rows = ""
        for file in inputs.files {
            let p = file.provenance
            let cfg = p.configSHA256 == config.sha256 && !config.sha256.isEmpty ? " ✓ this config" : " (another config)"
            var parents = ""
            for (i, parent) in p.parents.enumerated() {
                let mark = ours.contains(parent.sha256.lowercased()) ? " ✓ input of this report" : ""
                parents += "<li>PARENT\(i + 1) <code>\(e(parent.file))</code><br/>PSHA\(i + 1) <code>\(e(parent.sha256))</code>\(e(mark))</li>"
            }
            rows += """
                <tr><td>\(e(file.role))</td><td><code>\(e(file.path))</code></td><td><code>\(e(file.sha256))</code></td>\
                <td>\(e(p.kind.rawValue)) v\(p.schemaVersion)</td><td>\(e(p.date))</td><td>\(e(p.toolVersion))</td>\
                <td><code>\(e(p.configSHA256))</code>\(e(cfg))</td><td><ul>\(parents)</ul></td></tr>

                """
        }
        let cfgPath = config.sourcePath.isEmpty ? "(in memory)" : config.sourcePath
        return """
            <table class="provenance">
            <thead><tr><th>role</th><th>file</th><th>SHA-256</th><th>NMMTYPE</th><th>DATE (UTC)</th><th>NMMVERS</th><th>CFGSHA</th><th>parents (PARENTn, PSHAn)</th></tr></thead>
            <tbody>
            \(rows)</tbody>
            </table>
            <p>Config used for this report: <code>\(e(cfgPath))</code>, SHA-256 <code>\(e(config.sha256))</code>.</p>

            """
    }
}
