import Foundation

/// Reads an input spectrum from FITS: a BINTABLE named SPECTRUM (or the first BINTABLE)
/// with columns E_LO, E_HI (TUNIT eV, keV or MeV) and COUNTS; keywords LIVETIME with
/// TIMEUNIT (s, h or d) and MASS with MASSUNIT (kg or g; kg when absent), looked up in the
/// table header first, then the primary header. OGIP's EXPOSURE (seconds) is accepted in
/// place of LIVETIME.
public enum FITSSpectrumReader {
    public static func read(_ path: String) throws -> RawSpectrum {
        let doc = try FITSIO.read(path)
        guard let table = doc.tables.first(where: { $0.name.uppercased() == "SPECTRUM" }) ?? doc.tables.first else {
            throw FITSError(.missingHDU, file: path, hdu: "SPECTRUM",
                            "expected a BINTABLE extension SPECTRUM with E_LO, E_HI and COUNTS; the file has none")
        }
        let lo = try table.energiesKeV("E_LO")
        let hi = try table.energiesKeV("E_HI")
        let countsColumn = try table.column("COUNTS")
        let unit = countsColumn.unit.lowercased()
        guard ["", "count", "counts", "ct", "cts"].contains(unit) else {
            throw FITSError(.wrongUnit, file: path, hdu: table.name, item: "COUNTS",
                            "expected counts per bin (TUNIT count or empty), found '\(countsColumn.unit)'")
        }
        let counts = try table.doubles("COUNTS", unit: nil)
        let keywords = table.keywords + doc.primaryKeywords
        func number(_ name: String) throws -> Double? {
            guard let k = keywords.first(named: name) else { return nil }
            switch k.value {
            case .double(let d): return d
            case .int(let i): return Double(i)
            default:
                throw FITSError(.wrongType, file: path, hdu: table.name, item: name, "expected a number, found \(k.value)")
            }
        }
        func text(_ name: String) -> String? {
            if case .string(let s)? = keywords.first(named: name)?.value { return s }
            return nil
        }
        let liveTimeDays: Double
        if let live = try number("LIVETIME") {
            guard let u = text("TIMEUNIT") else {
                throw FITSError(.missingKeyword, file: path, hdu: table.name, item: "TIMEUNIT",
                                "LIVETIME needs its unit: expected TIMEUNIT = 's', 'h' or 'd'")
            }
            guard let f = MetadataUnit.daysFactor(u) else {
                throw FITSError(.wrongUnit, file: path, hdu: table.name, item: "TIMEUNIT",
                                "expected 's', 'h' or 'd', found '\(u)'")
            }
            liveTimeDays = live * f
        } else if let exposure = try number("EXPOSURE") {
            liveTimeDays = exposure * MetadataUnit.daysFactor("s")!   // OGIP EXPOSURE is in seconds
        } else {
            throw FITSError(.missingKeyword, file: path, hdu: table.name, item: "LIVETIME",
                            "expected a LIVETIME keyword (with TIMEUNIT) or OGIP EXPOSURE in seconds")
        }
        guard let mass = try number("MASS") else {
            throw FITSError(.missingKeyword, file: path, hdu: table.name, item: "MASS", "expected a MASS keyword in kg")
        }
        let massUnit = text("MASSUNIT") ?? "kg"
        guard let mf = MetadataUnit.kgFactor(massUnit) else {
            throw FITSError(.wrongUnit, file: path, hdu: table.name, item: "MASSUNIT", "expected 'kg' or 'g', found '\(massUnit)'")
        }
        return RawSpectrum(energyLowKeV: lo, energyHighKeV: hi, counts: counts,
                           liveTimeDays: liveTimeDays, massKg: mass * mf, sourceFile: path)
    }

    /// The FITS layout this reader expects, for writers of fixtures and simulations.
    public static func document(_ s: RawSpectrum, liveTimeUnit: String = "h", extraKeywords: [FITSKeyword] = []) -> FITSDocument {
        let factor = MetadataUnit.daysFactor(liveTimeUnit) ?? 1
        let table = FITSTable(
            name: "SPECTRUM",
            keywords: [
                FITSKeyword("LIVETIME", .double(s.liveTimeDays / factor), "live time"),
                FITSKeyword("TIMEUNIT", .string(liveTimeUnit), "unit of LIVETIME"),
                FITSKeyword("MASS", .double(s.massKg), "[kg] detector mass"),
                FITSKeyword("MASSUNIT", .string("kg"), "unit of MASS"),
            ] + extraKeywords,
            columns: [
                FITSColumn("E_LO", unit: "keV", .double(s.energyLowKeV)),
                FITSColumn("E_HI", unit: "keV", .double(s.energyHighKeV)),
                FITSColumn("COUNTS", unit: "count", .double(s.counts)),
            ])
        return FITSDocument(tables: [table])
    }
}
