import Foundation
import NMMCore
import NMMStatistics

/// A HEPData record of the analysis (ecosystem.md): submission.yaml (a comment document, then
/// one document per table) and one YAML data file per table, each table with its units and
/// the qualifiers that say what it is (reactor, detector, CL, method). Tables: the ON and OFF
/// spectra, the ON − OFF residual with errors, the fitted SM and MM curves, the profile in κ,
/// the confidence belt, the limit, and the expected limits (when the limit has them).
struct HEPDataRecord {
    struct Table {
        var name: String
        var description: String
        var file: String
        var observables: [String]
        var independent: [YAMLValue]
        var dependent: [YAMLValue]

        var data: YAMLValue { .map([("independent_variables", .list(independent)), ("dependent_variables", .list(dependent))]) }
    }

    var comment: String
    var tables: [Table]

    /// The files of the record: submission.yaml first, then the tables' data files.
    var files: [(name: String, data: Data)] {
        let reaction = "ANTI-NUE E --> ANTI-NUE E"
        let docs: [YAMLValue] = [.map([("comment", .string(comment))])] + tables.map { t in
            .map([("name", .string(t.name)), ("description", .string(t.description)),
                  ("keywords", .list([
                      .map([("name", .string("reactions")), ("values", .list([.string(reaction)]))]),
                      .map([("name", .string("observables")), ("values", .list(t.observables.map(YAMLValue.string)))]),
                      .map([("name", .string("phrases")), ("values", .list(["Neutrino magnetic moment", "Reactor neutrinos",
                                                                                "Neutrino-electron scattering"].map(YAMLValue.string)))]),
                  ])),
                  ("data_file", .string(t.file))])
        }
        return [("submission.yaml", Data(YAMLText.documents(docs).utf8))]
            + tables.map { ($0.file, Data(YAMLText.document($0.data).utf8)) }
    }

    // MARK: - Building blocks

    static func header(_ name: String, _ units: String? = nil) -> YAMLValue {
        .map([("name", .string(name))] + (units.map { [("units", .string($0))] } ?? []))
    }

    static func bins(_ low: [Double], _ high: [Double], name: String = "E", units: String = "keV") -> YAMLValue {
        .map([("header", header(name, units)),
              ("values", .list(zip(low, high).map { .map([("low", .number($0)), ("high", .number($1))]) }))])
    }

    static func points(_ x: [Double], name: String, units: String?) -> YAMLValue {
        .map([("header", header(name, units)), ("values", .list(x.map { .map([("value", .number($0))]) }))])
    }

    static func qualifier(_ name: String, _ value: YAMLValue, units: String? = nil) -> YAMLValue {
        .map([("name", .string(name)), ("value", value)] + (units.map { [("units", .string($0))] } ?? []))
    }

    /// A dependent variable; `errors` (symmetric, labelled) when given, one per value.
    static func variable(_ name: String, units: String?, qualifiers: [YAMLValue], values: [Double],
                         errors: [Double]? = nil, errorLabel: String = "stat") -> YAMLValue {
        let rows: [YAMLValue] = values.indices.map { i in
            // HEPData's mark for a value that does not exist is "-".
            var row: [(String, YAMLValue)] = [("value", values[i].isFinite ? .number(values[i]) : .string("-"))]
            if let e = errors?[i], e.isFinite {
                row.append(("errors", .list([.map([("symerror", .number(e)), ("label", .string(errorLabel))])])))
            }
            return .map(row)
        }
        return .map([("header", header(name, units)), ("qualifiers", .list(qualifiers)), ("values", .list(rows))])
    }
}
