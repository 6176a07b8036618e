import NMMCore
import NMMStatistics
import NMMPlot

/// index.html: a self-contained page (no external files needed) with the headline limit,
/// the summary table, every figure inlined as SVG (and linked beside it), and the
/// provenance of every input. Deterministic: no generation time is written.
struct IndexPage {
    struct FigureEntry: Sendable {
        var file: String
        var caption: String
        var svg: String
    }

    func html(_ inputs: ReportInputs, config: AnalysisConfig, figures: [FigureEntry],
              combination: [CombinationTable.Row] = []) -> String {
        let e = SVGText.escape
        let rows = SummaryTable().rows(inputs, config: config).map {
            "<tr><th scope=\"row\">\(e($0.quantity))</th><td>\(e($0.value))</td><td>\(e($0.note))</td></tr>"
        }.joined(separator: "\n")
        let figs = figures.map { fig in
            """
            <figure id="fig-\(e(Self.stem(fig.file)))">
            \(Self.inline(fig.svg))
            <figcaption>\(e(fig.caption)) <a href="\(e(fig.file))">\(e(fig.file))</a></figcaption>
            </figure>
            """
        }.joined(separator: "\n")
        let description = config.description.map { "<p>\(e($0))</p>" } ?? ""
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8"/>
            <meta name="viewport" content="width=device-width, initial-scale=1"/>
            <title>nmm report: \(e(config.experiment))</title>
            <style>
            \(Self.css)
            </style>
            </head>
            <body>
            <h1>Neutrino magnetic moment: \(e(config.experiment))</h1>
            \(description)
            <p class="headline">\(e(Self.headline(inputs.limit)))</p>
            <h2 id="summary">Summary</h2>
            <table class="summary">
            <thead><tr><th>quantity</th><th>value</th><th>note</th></tr></thead>
            <tbody>
            \(rows)
            </tbody>
            </table>
            \(MethodsTable.html(inputs.limit))
            \(CombinationTable.html(combination))
            <h2 id="figures">Figures</h2>
            \(figs)
            <h2 id="provenance">Provenance of the inputs</h2>
            \(ProvenanceTable().html(inputs, config: config))
            <footer>Written by nmm \(e(NMMVersion.string)) (<code>nmm report</code>).</footer>
            </body>
            </html>

            """
    }

    /// "μ_ν(ν̄e) < 1.3×10⁻¹⁰ μ_B at 90% CL (Feldman–Cousins, …)".
    static func headline(_ l: LimitProduct) -> String {
        "μ_ν(\(ReportText.symbol(l.flavor))) < \(ReportText.mu(l.muLimitBohr)) μ_B at \(ReportText.percent(l.confidenceLevel)) CL (Feldman–Cousins, \(ReportText.construction(l)))"
    }

    /// The SVG without its XML declaration, for inlining in HTML.
    static func inline(_ svg: String) -> String {
        guard svg.hasPrefix("<?xml"), let end = svg.range(of: "?>") else { return svg }
        return String(svg[end.upperBound...]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func stem(_ file: String) -> String {
        file.hasSuffix(".svg") ? String(file.dropLast(4)) : file
    }

    static let css = """
        body { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; max-width: 1000px; margin: 1.5em auto; padding: 0 1em; color: #111; }
        h1 { font-size: 1.6em; margin-bottom: 0.2em; }
        .headline { font-size: 1.25em; font-weight: bold; background: #f3f6fa; border-left: 4px solid #0072B2; padding: 0.5em 0.8em; }
        table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 0.92em; }
        th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
        thead th { background: #eee; }
        table.summary th[scope=row] { font-weight: normal; background: #fafafa; }
        table.provenance { font-size: 0.8em; }
        table.provenance code { word-break: break-all; }
        table.provenance ul { margin: 0; padding-left: 1.1em; }
        figure { margin: 1em 0 2em; }
        figure svg { max-width: 100%; height: auto; display: block; }
        figcaption { font-size: 0.9em; color: #333; margin-top: 0.3em; }
        footer { margin-top: 2em; font-size: 0.8em; color: #666; }
        """
}
