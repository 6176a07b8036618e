import Foundation
import NMMCore
import NMMStages
import NMMStatistics

/// One fuzz input through every reader nmm exposes to untrusted bytes: the FITS reader (as
/// an input spectrum, each typed stage file, an event list, a reactor log and an OGIP PHA
/// spectrum), the CSV spectrum and reactor-log readers and the YAML
/// config parser with its validation and the physics set-up it feeds. The contract: each
/// reader returns a value or throws an `NMMError`. A trap (index out of range, overflow,
/// force unwrap) crashes the fuzzer; any other error type is returned as `.unexpected`.
public enum FuzzHarness {
    public enum Outcome: Sendable {
        case value
        case error(ExitStatus)
        case unexpected(reader: String, error: String)
    }

    /// A scratch file for the FITS reader (CFITSIO reads files); one per process.
    public static let scratchPath: String = {
        let dir = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        return (dir as NSString).appendingPathComponent("nmm-fuzz-\(getpid()).fits")
    }()

    public static func check(_ bytes: [UInt8]) -> [Outcome] {
        var out: [Outcome] = []
        let data = Data(bytes)
        if (try? data.write(to: URL(fileURLWithPath: scratchPath))) != nil {
            out.append(run("FITS spectrum") { try FITSSpectrumReader.read(scratchPath).validate() })
            out.append(run("FITS stage file") { try stageFile(scratchPath) })
            out.append(run("FITS event list") { _ = try EventListReader.read(scratchPath).gtis.count })
            out.append(run("FITS reactor log") { _ = try ReactorLogReader.read(scratchPath).span })
            out.append(run("OGIP PHA") { _ = try OGIPSpectrumReader.read(scratchPath).counts.count })
        }
        // Text readers see the bytes as the file readers would: UTF-8 or refused.
        if let text = String(data: data, encoding: .utf8) {
            out.append(run("CSV spectrum") { try CSVSpectrumReader.parse(text, file: "fuzz.csv").validate() })
            out.append(run("YAML config") { try config(text) })
            out.append(run("CSV reactor log") { _ = try ReactorLogReader.parseCSV(text, file: "fuzz.csv").span })
        }
        return out
    }

    static func run(_ reader: String, _ body: () throws -> Void) -> Outcome {
        do {
            try body()
            return .value
        } catch let e as NMMError {
            let line = String(describing: e)
            if line.isEmpty { return .unexpected(reader: reader, error: "NMMError with an empty message: \(type(of: e))") }
            return .error(e.exitStatus)
        } catch {
            return .unexpected(reader: reader, error: "\(type(of: error)): \(error)")
        }
    }

    /// The bytes as each typed stage file (type and schema as the file says), and every
    /// derived value a later stage reads.
    static func stageFile(_ path: String) throws {
        let doc = try FITSIO.read(path)
        switch try ProductStore.readProvenance(from: path).kind {
        case .spectra: _ = try SpectrumPair(document: doc).document()
        case .residual: let r = try Residual(document: doc); _ = (r.usedCount, r.document())
        case .templates: let t = try TemplateSet(document: doc); _ = (t.ratio, t.document())
        case .model: let m = try ModelProduct(document: doc); _ = (m.model.parameterNames, m.document())
        case .fit:
            let f = try FitProduct(document: doc)
            _ = (f.kappa, f.kappaError, f.chi2PerDof, f.document())
        case .limit:
            let l = try LimitProduct(document: doc)
            _ = (l.headline, l.json(experiment: "fuzz"), l.sensitivity?.median, l.document())
        case .limitShard: _ = try LimitShard(document: doc).document()
        }
    }

    /// Parse, validate, and derive what the stages derive from a config.
    static func config(_ text: String) throws {
        var c = try ConfigLoader.parse(text: text, file: "fuzz.yaml")
        c.sourcePath = "fuzz.yaml"
        try c.validate()
        _ = (c.onPath, c.offPath, c.maskedRangesKeV, StagePaths(config: c).limit)
        _ = try LimitSettings(config: c).kappaGrid(kappaHat: 0, sigma: 1)
        _ = FitSetup.options(c)
        _ = try PhysicsSetup.neutrinoSource(c)
        _ = try PhysicsSetup.quenching(c)
        _ = try PhysicsSetup.target(c)
        _ = try PhysicsSetup.response(c)
        _ = PhysicsSetup.flavor(c)
        if c.simulation != nil { _ = try FixtureSimulator(config: c).edgesKeV.count }
        if c.simulation?.events != nil { let e = try EventListSimulator(config: c); _ = (e.gtis, e.periods) }
        _ = (c.sectionSHA256(.inputs), Ingest.source(config: c).inputFiles)
        if c.inputKind == .events, let b = c.inputs.binningKeV { _ = EnergyBinning(b).binCount }
    }
}
