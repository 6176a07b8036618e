import Foundation
import NMMCore
import NMMStages
import NMMStatistics

/// Valid inputs to start mutating from: FITS input spectra and typed stage files (each also
/// without CHECKSUM/DATASUM, so that mutations reach the column readers instead of stopping
/// at the checksum), CSV spectra and YAML configs.
public enum FuzzSeeds {
    public struct Seed: Sendable {
        public var name: String
        public var bytes: [UInt8]
    }

    public static func all() throws -> [Seed] {
        var seeds: [Seed] = []
        for (name, doc) in try fitsDocuments() {
            let bytes = try fitsBytes(doc)
            seeds.append(Seed(name: name + ".fits", bytes: bytes))
            seeds.append(Seed(name: name + "-nosum.fits", bytes: withoutChecksums(bytes)))
        }
        seeds.append(Seed(name: "spectrum.csv", bytes: Array(CSVSpectrumReader.text(spectrum(), comment: "seed").utf8)))
        seeds.append(Seed(name: "spectrum-ev.csv", bytes: Array("""
            # eV edges, CRLF line ends\r
            #! livetime = 86400 s\r
            #! mass = 1060 g\r
            "E_LO [eV]","E_HI [eV]",COUNTS\r
            12000,13000,5\r
            13000,14000,0\r

            """.utf8)))
        seeds.append(Seed(name: "reactor-log.csv", bytes: Array(EventListDocument.reactorLogCSV(
            EventInputSeeds.periods, mjdRef: 60310, timeSystem: "TT", comment: "seed").utf8)))
        seeds.append(Seed(name: "reactor-log-mjd.csv", bytes: Array("""
            #! timesys = UTC
            START [MJD],STOP [MJD],POWER [GW]
            60310,60311.5,2.9
            60311.5,60312,0

            """.utf8)))
        seeds.append(Seed(name: "minimal.yaml", bytes: Array(ConfigSchema.minimalExample.utf8)))
        seeds.append(Seed(name: "events.yaml", bytes: Array(EventInputSeeds.config.utf8)))
        seeds.append(Seed(name: "full.yaml", bytes: Array(fullConfig.utf8)))
        seeds.append(Seed(name: "lines.yaml", bytes: Array(linesConfig.utf8)))
        seeds.append(Seed(name: "tritium.yaml", bytes: Array(tritiumConfig.utf8)))
        return seeds
    }

    static func spectrum(bins: Int = 6) -> RawSpectrum {
        RawSpectrum(energyLowKeV: (0..<bins).map { 12 + Double($0) }, energyHighKeV: (0..<bins).map { 13 + Double($0) },
                    counts: (0..<bins).map { Double(90 + 3 * $0) }, liveTimeDays: 196, massKg: 1.06, sourceFile: "seed")
    }

    /// Documents as written by nmm (provenance keywords included).
    static func fitsDocuments() throws -> [(String, FITSDocument)] {
        let s = spectrum()
        let pair = SpectrumPair(on: s, off: s, offExposureFactor: 1)
        let fit = FitProduct(FitResult(method: .chi2, parameterNames: ["kappa", "smNorm"], values: [-0.4, 1],
                                       covariance: [[1.69, 0.01], [0.01, 0.01]], minimum: 48, ndof: 50,
                                       converged: true, covarianceAccurate: true, atLimit: false, iterations: 4,
                                       profile: [ProfilePoint(kappa: -1, deltaChi2: 0.2), ProfilePoint(kappa: 0, deltaChi2: 0.1),
                                                 ProfilePoint(kappa: 1, deltaChi2: 1.2)]))
        let limit = try Limit().gaussian(kappaHat: -0.4, statError: 1.3, settings: LimitSettings(gridPoints: 5))
        // A LIMITSHARD document as `LimitShard.document()` writes it (ToyBelt's init is internal).
        var shard = FITSDocument(primaryKeywords: [
            FITSKeyword("SHARDIDX", .int(1)), FITSKeyword("SHARDCNT", .int(2)), FITSKeyword("PTLO", .int(0)),
            FITSKeyword("PTHI", .int(2)), FITSKeyword("STATISTC", .string("chi2")), FITSKeyword("CL", .double(0.9)),
            FITSKeyword("SEED", .string("7")), FITSKeyword("TOYBLOCK", .int(100)), FITSKeyword("NTOYSPT", .int(100)),
            FITSKeyword("KAPHAT", .double(-0.4)), FITSKeyword("KAPSIG", .double(1.3)),
        ], tables: [FITSTable(name: "BELT", columns: [
            FITSColumn("KAPPA", unit: MagneticMomentUnits.kappaUnit, .double([0, 1, 2, 3])),
            FITSColumn("T_CRIT", unit: "", .double([2.7, 2.6, .nan, .nan])),
            FITSColumn("T_OBS", unit: "", .double([0, 0.5, 1.6, 3.2])),
            FITSColumn("NFAIL", unit: "", .int64([0, 1, 0, 0])),
            FITSColumn("T_CRIT_ERR", unit: "", .double([0.2, 0.2, .nan, .nan])),
        ])])
        shard.primaryKeywords = [FITSKeyword("NMMTYPE", .string("LIMITSHARD")), FITSKeyword("NMMSCHEM", .int(LimitShard.schemaVersion))]
            + shard.primaryKeywords
        func stamped<P: StageProduct>(_ p: P) -> FITSDocument {
            var doc = p.document()
            doc.primaryKeywords = [
                FITSKeyword("NMMTYPE", .string(P.kind.rawValue)), FITSKeyword("NMMSCHEM", .int(P.schemaVersion)),
                FITSKeyword("NMMVERS", .string("0.1.0")), FITSKeyword("DATE", .string("2026-01-01T00:00:00")),
                FITSKeyword("CFGSHA", .string(String(repeating: "a", count: 64))),
                FITSKeyword("PARENT1", .string("on.fits")), FITSKeyword("PSHA1", .string(String(repeating: "b", count: 64))),
            ] + doc.primaryKeywords
            return doc
        }
        let eventPair = SpectrumPair(on: s, off: s, offExposureFactor: 2, excludedBins: [false, true, false, false, false, false],
                                     eventSelection: EventInputSeeds.selection)
        return [
            ("input-spectrum", FITSSpectrumReader.document(s)),
            ("spectra", stamped(pair)),
            ("spectra-events", stamped(eventPair)),
            ("event-list", EventInputSeeds.eventList),
            ("reactor-log", EventListDocument.reactorLogDocument(EventInputSeeds.periods, frame: EventInputSeeds.frame)),
            ("ogip-pha", EventInputSeeds.pha),
            ("fit", stamped(fit)),
            ("limit", stamped(limit)),
            ("limitshard", shard),
        ]
    }

    static func fitsBytes(_ doc: FITSDocument) throws -> [UInt8] {
        let path = FuzzHarness.scratchPath + ".seed"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try FITSIO.write(doc, to: path)
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// The same file with every CHECKSUM and DATASUM card turned into a COMMENT card.
    static func withoutChecksums(_ bytes: [UInt8]) -> [UInt8] {
        var b = bytes
        var card = 0
        while card + 80 <= b.count {
            let name = String(decoding: b[card..<(card + 8)], as: UTF8.self)
            if name == "CHECKSUM" || name == "DATASUM " {
                for (i, c) in "COMMENT ".utf8.enumerated() { b[card + i] = c }
            }
            card += 80
        }
        return b
    }

    /// Every section of the config, so that mutations reach every key's decoding and check.
    static let fullConfig = """
        experiment: fuzz
        description: every section
        detector:
          target: CF4
          massKg: 11.4
          bindingStep: true
          resolution: {aKeV: 0.1, bKeV: 0.01, c: 0.001}
          efficiency: [[0, 0.5], [100, 0.9], [1000, 1]]
        reactor:
          totalFluxPerCm2PerS: 1.0e13
          fissionFractions: {U235: 0.54, U238: 0.07, Pu239: 0.33, Pu241: 0.06}
          capturesPerFission: 0.6
        source: {kind: reactor}
        neutrino: {flavor: anti-nu_e, sin2ThetaW: 0.23122, chargeRadiusCm2: 0}
        coherent:
          enabled: true
          formFactor: true
          quenching: {model: table, table: [[0.1, 0.12], [1, 0.2], [10, 0.25]]}
        inputs: {on: on.csv, off: off.fits, offExposureFactor: 0.5}
        analysis:
          windowKeV: [700, 2000]
          maskedKeV: [[900, 950], [1200, 1210]]
        fit:
          method: poisson
          background: linear
          smNormalisationSigma: 0.1
          smNormalisationFree: false
          fluxNormalisationSigma: 0.05
          residualErrors: observed
          profileKappaMin: -6
          profileKappaMax: 8
          profilePoints: 21
          maxIterations: 100
        limit:
          cl: 0.9
          method: toys
          seed: 18446744073709551615
          toysPerPoint: 100
          gridPoints: 10
          kappaMax: 20
          sensitivityToys: 50
          maxFailedFraction: 0.05
        simulation:
          rangeKeV: [2, 100]
          binWidthKeV: 1
          onLiveTimeHours: 4712
          offLiveTimeHours: 1250
          backgroundPerKgKeVDay: 1.0
          backgroundSlopePerKgKeVDayPerKeV: -0.001
          lines: [[10.37, 0.4, 8.0]]
          kappaTrue: 0
          seed: 4712
        """

    /// The reactor's ν_e lines with Lindhard-quenched coherent samples.
    static let linesConfig = """
        experiment: lines
        detector: {target: Ge, massKg: 1.06, bindingStep: true}
        reactor:
          thermalPowerMW: 2900
          distanceM: 28
          fissionFractions: {U235: 0.49, U238: 0.07, Pu239: 0.36, Pu241: 0.08}
        source: {kind: reactor-lines, neutrinosPerFission: 8.3e-4, chromiumShare: 0.5}
        coherent: {quenching: {model: lindhard, k: 0.162}}
        inputs: {on: on.fits, off: off.fits}
        analysis: {windowKeV: [12, 64]}
        """

    /// A tritium source given by activity and distance, unquenched coherent samples.
    static let tritiumConfig = """
        experiment: tritium
        detector: {target: Si, massKg: 1}
        source: {kind: tritium, activityCi: 4.0e7, distanceM: 0.1, endpointKeV: 18.591}
        neutrino: {flavor: anti-nu_e}
        coherent: {enabled: false, formFactor: false, quenching: {model: none}}
        inputs: {on: on.fits, off: off.fits}
        analysis: {windowKeV: [0.01, 1.3]}
        """
}
