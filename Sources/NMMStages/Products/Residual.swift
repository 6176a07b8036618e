import NMMCore
import NMMStatistics

/// residual.fits (NMMTYPE RESIDUAL): per bin inside the analysis window, the ON−OFF
/// residual rate in counts/(kg·keV·day) with its Poisson error, the raw ON and OFF counts,
/// and whether the bin is used in the fit (false for masked bins). Header: both exposures.
public struct Residual: StageProduct, Equatable {
    public static let kind = ProductKind.residual
    public static let schemaVersion = 1

    public var energyLowKeV: [Double]
    public var energyHighKeV: [Double]
    public var onCounts: [Double]
    public var offCounts: [Double]
    public var rate: [Double]
    public var rateError: [Double]
    public var used: [Bool]
    public var onExposureKgDay: Double
    public var offExposureKgDay: Double
    public var onLiveTimeDays: Double
    public var offLiveTimeDays: Double
    public var massKg: Double
    public var windowLowKeV: Double
    public var windowHighKeV: Double
    /// How the error of a bin with zero counts is set (written to the header).
    public static let zeroCountRule = CountingError.rule

    public init(energyLowKeV: [Double], energyHighKeV: [Double], onCounts: [Double], offCounts: [Double],
                rate: [Double], rateError: [Double], used: [Bool], onExposureKgDay: Double, offExposureKgDay: Double,
                onLiveTimeDays: Double, offLiveTimeDays: Double, massKg: Double, windowLowKeV: Double, windowHighKeV: Double) {
        self.energyLowKeV = energyLowKeV
        self.energyHighKeV = energyHighKeV
        self.onCounts = onCounts
        self.offCounts = offCounts
        self.rate = rate
        self.rateError = rateError
        self.used = used
        self.onExposureKgDay = onExposureKgDay
        self.offExposureKgDay = offExposureKgDay
        self.onLiveTimeDays = onLiveTimeDays
        self.offLiveTimeDays = offLiveTimeDays
        self.massKg = massKg
        self.windowLowKeV = windowLowKeV
        self.windowHighKeV = windowHighKeV
    }

    public var binCount: Int { rate.count }
    public var usedCount: Int { used.filter { $0 }.count }

    public init(document doc: FITSDocument) throws {
        let t = try doc.table("RESIDUAL")
        energyLowKeV = try t.doubles("E_LO", unit: "keV")
        energyHighKeV = try t.doubles("E_HI", unit: "keV")
        onCounts = try t.doubles("ON_COUNTS", unit: "count")
        offCounts = try t.doubles("OFF_COUNTS", unit: "count")
        rate = try t.doubles("RATE", unit: "count/(kg keV d)")
        rateError = try t.doubles("RATE_ERR", unit: "count/(kg keV d)")
        used = try t.bools("USED")
        onExposureKgDay = try doc.double("ONEXPO")
        offExposureKgDay = try doc.double("OFFEXPO")
        onLiveTimeDays = try doc.double("ONLIVE")
        offLiveTimeDays = try doc.double("OFFLIVE")
        massKg = try doc.double("MASS")
        for (key, value) in [("ONEXPO", onExposureKgDay), ("OFFEXPO", offExposureKgDay), ("MASS", massKg)]
        where !(value.isFinite && value > 0) {
            throw InputError(file: doc.sourceFile, field: key, "expected a finite value > 0, found \(value)")
        }
        windowLowKeV = try doc.double("WINLO")
        windowHighKeV = try doc.double("WINHI")
    }

    public func document() -> FITSDocument {
        let unit = "count/(kg keV d)"
        return FITSDocument(primaryKeywords: [
            FITSKeyword("ONEXPO", .double(onExposureKgDay), "[kg d] ON exposure (live time x mass)"),
            FITSKeyword("OFFEXPO", .double(offExposureKgDay), "[kg d] effective OFF exposure"),
            FITSKeyword("ONLIVE", .double(onLiveTimeDays), "[d] ON live time"),
            FITSKeyword("OFFLIVE", .double(offLiveTimeDays), "[d] OFF live time"),
            FITSKeyword("MASS", .double(massKg), "[kg] detector mass"),
            FITSKeyword("WINLO", .double(windowLowKeV), "[keV] analysis window low edge"),
            FITSKeyword("WINHI", .double(windowHighKeV), "[keV] analysis window high edge"),
            FITSKeyword("NBINS", .int(binCount), "bins in the window"),
            FITSKeyword("NUSED", .int(usedCount), "bins used in the fit (not masked)"),
            FITSKeyword("ZERORULE", .string(CountingError.rule), "counting error rule"),
        ], tables: [FITSTable(name: "RESIDUAL", columns: [
            FITSColumn("E_LO", unit: "keV", .double(energyLowKeV)),
            FITSColumn("E_HI", unit: "keV", .double(energyHighKeV)),
            FITSColumn("ON_COUNTS", unit: "count", .double(onCounts)),
            FITSColumn("OFF_COUNTS", unit: "count", .double(offCounts)),
            FITSColumn("RATE", unit: unit, .double(rate)),
            FITSColumn("RATE_ERR", unit: unit, .double(rateError)),
            FITSColumn("USED", unit: "", .bool(used)),
        ])])
    }
}
