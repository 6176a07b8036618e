import NMMCore
import NMMStatistics

/// spectra.fits (NMMTYPE SPECTRA): the validated ON and OFF spectra on a shared binning,
/// with live times, mass and the OFF exposure factor; for OGIP inputs with bad channels a
/// QUALITY column (1 = excluded) in both tables, for event-list inputs the selection's cards
/// (`EventSelectionSummary`: INKIND, NOMPOWER, ONPOWER, FLUXSCAL, … and per table SELTIME,
/// NEVENTS, NBINNED). A pair of spectrum files writes neither, exactly as before.
public struct SpectrumPair: StageProduct, Equatable {
    public static let kind = ProductKind.spectra
    public static let schemaVersion = 1

    public var on: RawSpectrum
    public var off: RawSpectrum
    /// Extra factor on the OFF exposure beyond live time × mass (1 = scale by live time only).
    public var offExposureFactor: Double
    /// Bins the input marked bad (OGIP QUALITY), one flag per bin; nil: none. Subtract flags them unused.
    public var excludedBins: [Bool]?
    /// What an event-list ingest selected (live times, power history, counts); nil otherwise.
    public var eventSelection: EventSelectionSummary?

    public init(on: RawSpectrum, off: RawSpectrum, offExposureFactor: Double, excludedBins: [Bool]? = nil,
                eventSelection: EventSelectionSummary? = nil) {
        self.on = on
        self.off = off
        self.offExposureFactor = offExposureFactor
        self.excludedBins = excludedBins
        self.eventSelection = eventSelection
    }

    /// Mean ON flux / flux at the config's nominal power (FLUXSCAL): 1 unless the spectra were
    /// binned from an event list, where it is the power-weighted mean power over the ON live
    /// time divided by the nominal power.
    public var onFluxScale: Double { eventSelection?.fluxScale ?? 1 }

    public func isExcluded(bin i: Int) -> Bool { excludedBins?[i] ?? false }

    public var onExposureKgDay: Double { on.liveTimeDays * on.massKg }
    public var offExposureKgDay: Double { off.liveTimeDays * off.massKg * offExposureFactor }

    public init(document doc: FITSDocument) throws {
        let onTable = try doc.table("ON"), offTable = try doc.table("OFF")
        on = try Self.spectrum(onTable)
        off = try Self.spectrum(offTable)
        offExposureFactor = try doc.double("OFFFACT")
        excludedBins = onTable.hasColumn("QUALITY") ? try onTable.integers("QUALITY").map { $0 != 0 } : nil
        eventSelection = try EventSelectionSummary(primary: doc, on: onTable, off: offTable)
    }

    private static func spectrum(_ t: FITSTable) throws -> RawSpectrum {
        RawSpectrum(energyLowKeV: try t.doubles("E_LO", unit: "keV"),
                    energyHighKeV: try t.doubles("E_HI", unit: "keV"),
                    counts: try t.doubles("COUNTS", unit: "count"),
                    liveTimeDays: try t.double("LIVETIME"),
                    massKg: try t.double("MASS"),
                    sourceFile: try t.string("SRCFILE"))
    }

    public func document() -> FITSDocument {
        func table(_ name: String, _ s: RawSpectrum) -> FITSTable {
            var t = FITSTable(name: name, keywords: [
                FITSKeyword("LIVETIME", .double(s.liveTimeDays), "[d] live time"),
                FITSKeyword("TIMEUNIT", .string("d"), "unit of LIVETIME"),
                FITSKeyword("MASS", .double(s.massKg), "[kg] detector mass"),
                FITSKeyword("EXPOSURE", .double(s.liveTimeDays * s.massKg), "[kg d] live time x mass"),
                FITSKeyword("SRCFILE", .string(s.sourceFile), "input file this spectrum was read from"),
            ], columns: [
                FITSColumn("E_LO", unit: "keV", .double(s.energyLowKeV)),
                FITSColumn("E_HI", unit: "keV", .double(s.energyHighKeV)),
                FITSColumn("COUNTS", unit: "count", .double(s.counts)),
            ])
            if let excludedBins {   // OGIP convention: 0 good, non-zero bad
                t.columns.append(FITSColumn("QUALITY", unit: "", .int32(excludedBins.map { $0 ? 1 : 0 })))
            }
            if let eventSelection { t.keywords += eventSelection.tableKeywords(on: name == "ON") }
            return t
        }
        return FITSDocument(primaryKeywords: [
            FITSKeyword("OFFFACT", .double(offExposureFactor), "extra OFF exposure factor beyond live time"),
            FITSKeyword("ONEXPO", .double(onExposureKgDay), "[kg d] ON exposure"),
            FITSKeyword("OFFEXPO", .double(offExposureKgDay), "[kg d] effective OFF exposure"),
        ] + (eventSelection?.primaryKeywords ?? []), tables: [table("ON", on), table("OFF", off)])
    }
}
