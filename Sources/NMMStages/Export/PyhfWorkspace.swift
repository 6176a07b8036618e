import Foundation
import NMMCore

/// A pyhf JSON workspace (HistFactory schema 1.0.0, pyhf ≥ 0.7) as a plain value:
/// channels of samples with modifiers, the observations, one measurement. Encoded with
/// sorted keys so the same model always gives the same bytes.
public struct PyhfWorkspace: Codable, Equatable, Sendable {
    public var channels: [Channel]
    public var observations: [Observation]
    public var measurements: [Measurement]
    public var version = "1.0.0"

    public struct Channel: Codable, Equatable, Sendable {
        public var name: String
        public var samples: [Sample]
    }

    public struct Sample: Codable, Equatable, Sendable {
        public var name: String
        /// Expected counts per bin at the nominal parameters.
        public var data: [Double]
        public var modifiers: [Modifier]
    }

    /// One modifier of a sample; `data` is null for normfactor, lumi and shapefactor.
    public struct Modifier: Codable, Equatable, Sendable {
        public enum Kind: String, Codable, Sendable { case normfactor, lumi, shapefactor, histosys, normsys }
        public enum Payload: Equatable, Sendable {
            case none
            case histosys(lo: [Double], hi: [Double])
            case normsys(lo: Double, hi: Double)
        }
        public var name: String
        public var type: Kind
        public var data: Payload

        public init(name: String, type: Kind, data: Payload = .none) {
            self.name = name
            self.type = type
            self.data = data
        }

        enum CodingKeys: String, CodingKey { case name, type, data }
        enum DataKeys: String, CodingKey { case lo, hi, lo_data, hi_data }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(type, forKey: .type)
            switch data {
            case .none: try c.encodeNil(forKey: .data)
            case .histosys(let lo, let hi):
                var d = c.nestedContainer(keyedBy: DataKeys.self, forKey: .data)
                try d.encode(lo, forKey: .lo_data)
                try d.encode(hi, forKey: .hi_data)
            case .normsys(let lo, let hi):
                var d = c.nestedContainer(keyedBy: DataKeys.self, forKey: .data)
                try d.encode(lo, forKey: .lo)
                try d.encode(hi, forKey: .hi)
            }
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            type = try c.decode(Kind.self, forKey: .type)
            switch type {
            case .histosys:
                let d = try c.nestedContainer(keyedBy: DataKeys.self, forKey: .data)
                data = .histosys(lo: try d.decode([Double].self, forKey: .lo_data), hi: try d.decode([Double].self, forKey: .hi_data))
            case .normsys:
                let d = try c.nestedContainer(keyedBy: DataKeys.self, forKey: .data)
                data = .normsys(lo: try d.decode(Double.self, forKey: .lo), hi: try d.decode(Double.self, forKey: .hi))
            case .normfactor, .lumi, .shapefactor: data = .none
            }
        }
    }

    public struct Observation: Codable, Equatable, Sendable {
        public var name: String
        public var data: [Double]
    }

    public struct Measurement: Codable, Equatable, Sendable {
        public var name: String
        public var config: Config
    }

    public struct Config: Codable, Equatable, Sendable {
        public var poi: String
        public var parameters: [ParameterSetting]
    }

    /// A measurement's setting of one parameter (a vector for per-bin parameters).
    public struct ParameterSetting: Codable, Equatable, Sendable {
        public var name: String
        public var inits: [Double]?
        public var bounds: [[Double]]?
        public var auxdata: [Double]?
        public var sigmas: [Double]?
        public var fixed: Bool?
    }

    /// The workspace as JSON text (sorted keys, two-space indentation by JSONEncoder).
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return try encoder.encode(self)
        } catch {
            throw InternalError("the pyhf workspace cannot be written as JSON: \(error)")
        }
    }
}
