import NMMCore
import NMMStatistics

/// spectra.fits (NMMTYPE SPECTRA): the validated ON and OFF spectra on a shared binning,
/// with live times, mass and the OFF exposure factor.
public struct SpectrumPair: StageProduct, Equatable {
    public static let kind = ProductKind.spectra
    public static let schemaVersion = 1

    public var on: RawSpectrum
    public var off: RawSpectrum
    /// Extra factor on the OFF exposure beyond live time × mass (1 = scale by live time only).
    public var offExposureFactor: Double

    public init(on: RawSpectrum, off: RawSpectrum, offExposureFactor: Double) {
        self.on = on
        self.off = off
        self.offExposureFactor = offExposureFactor
    }

    public var onExposureKgDay: Double { on.liveTimeDays * on.massKg }
    public var offExposureKgDay: Double { off.liveTimeDays * off.massKg * offExposureFactor }

    public init(document doc: FITSDocument) throws {
        on = try Self.spectrum(try doc.table("ON"))
        off = try Self.spectrum(try doc.table("OFF"))
        offExposureFactor = try doc.double("OFFFACT")
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
            FITSTable(name: name, keywords: [
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
        }
        return FITSDocument(primaryKeywords: [
            FITSKeyword("OFFFACT", .double(offExposureFactor), "extra OFF exposure factor beyond live time"),
            FITSKeyword("ONEXPO", .double(onExposureKgDay), "[kg d] ON exposure"),
            FITSKeyword("OFFEXPO", .double(offExposureKgDay), "[kg d] effective OFF exposure"),
        ], tables: [table("ON", on), table("OFF", off)])
    }
}
