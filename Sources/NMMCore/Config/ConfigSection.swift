import Foundation

/// The top-level sections of a config file. Each stage declares the sections it reads
/// (NMMStages' stage graph); a stage file records the SHA-256 of every section its chain
/// read (CSECn/CSHAn), so a later stage can refuse an input made from other settings, and
/// `make` reruns only the stages whose sections changed.
public enum ConfigSection: String, CaseIterable, Sendable, Codable {
    /// `experiment` and `description`: names and words on the report.
    case experiment
    case detector, reactor
    /// `source`: the neutrino source's kind and strength (issue 18).
    case source
    case neutrino
    /// `coherent`: coherent ν–nucleus samples and the quenching model (issue 18).
    case coherent
    case inputs, analysis, fit, limit, model, systematics, simulation
}

extension AnalysisConfig {
    /// SHA-256 of a section's parsed content: its JSON with sorted keys (absent: `null`).
    /// Formatting, comments and key order in the YAML do not change it; a value does.
    public func sectionSHA256(_ section: ConfigSection) -> String {
        SHA256Hex.of(data: sectionJSON(section))
    }

    func sectionJSON(_ section: ConfigSection) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        func encode<T: Encodable>(_ value: T?) -> Data {
            guard let value else { return Data("null".utf8) }
            // Encoding plain Codable values of numbers, strings and arrays cannot fail.
            return (try? encoder.encode(value)) ?? Data("unencodable".utf8)
        }
        switch section {
        case .experiment: return encode(["experiment": experiment, "description": description ?? ""])
        case .detector: return encode(detector)
        case .reactor: return encode(reactor)
        case .source: return encode(source)
        case .neutrino: return encode(neutrino)
        case .coherent: return encode(coherent)
        case .inputs: return encode(effectiveInputs)
        case .analysis: return encode(analysis)
        case .fit: return encode(fit)
        case .limit: return encode(limit)
        case .model: return encode(model)
        case .systematics: return encode(systematics)
        case .simulation: return encode(simulation)
        }
    }
}
