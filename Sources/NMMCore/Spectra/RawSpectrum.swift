import Foundation

/// One measured spectrum as read from an input file, before any checks across files:
/// bin edges in keV, counts per bin, live time in days and detector mass in kg.
public struct RawSpectrum: Equatable, Sendable {
    public var energyLowKeV: [Double]
    public var energyHighKeV: [Double]
    public var counts: [Double]
    public var liveTimeDays: Double
    public var massKg: Double
    public var sourceFile: String

    public init(energyLowKeV: [Double], energyHighKeV: [Double], counts: [Double],
                liveTimeDays: Double, massKg: Double, sourceFile: String) {
        self.energyLowKeV = energyLowKeV
        self.energyHighKeV = energyHighKeV
        self.counts = counts
        self.liveTimeDays = liveTimeDays
        self.massKg = massKg
        self.sourceFile = sourceFile
    }

    public var binCount: Int { counts.count }

    /// Checks one spectrum alone: non-empty, edges finite and increasing with neither gaps
    /// nor overlaps, counts finite and ≥ 0 and below an absurd level, live time and mass > 0.
    public func validate() throws {
        func bad(_ field: String, _ msg: String) -> InputError { InputError(file: sourceFile, field: field, msg) }
        guard !counts.isEmpty else { throw bad("COUNTS", "expected at least one bin, found none") }
        guard energyLowKeV.count == counts.count, energyHighKeV.count == counts.count else {
            throw bad("E_LO/E_HI", "expected as many edges as count bins")
        }
        guard liveTimeDays.isFinite, liveTimeDays > 0 else {
            throw bad("LIVETIME", "expected a live time > 0, found \(liveTimeDays) d")
        }
        guard massKg.isFinite, massKg > 0 else { throw bad("MASS", "expected a mass > 0 kg, found \(massKg) kg") }
        for i in counts.indices {
            let lo = energyLowKeV[i], hi = energyHighKeV[i]
            guard lo.isFinite, hi.isFinite, lo >= 0 else {
                throw bad("E_LO/E_HI row \(i + 1)", "expected finite energies ≥ 0 keV, found [\(lo), \(hi)]")
            }
            guard hi > lo else {
                throw bad("E_HI row \(i + 1)", "expected E_HI > E_LO, found [\(lo), \(hi)] keV")
            }
            if i > 0 {
                let prevHi = energyHighKeV[i - 1]
                let tol = 1e-9 * max(1, abs(lo))
                if lo < prevHi - tol {
                    throw bad("E_LO row \(i + 1)", "bins overlap or edges do not increase: E_LO = \(lo) keV < previous E_HI = \(prevHi) keV")
                }
                if lo > prevHi + tol {
                    throw bad("E_LO row \(i + 1)", "gap between bins: E_LO = \(lo) keV but previous E_HI = \(prevHi) keV")
                }
            }
            let c = counts[i]
            guard c.isFinite else { throw bad("COUNTS row \(i + 1)", "expected a finite count, found \(c)") }
            guard c >= 0 else { throw bad("COUNTS row \(i + 1)", "expected a count ≥ 0, found \(c)") }
            // 1e15 counts in one bin is beyond any detector; almost surely a unit or format error.
            guard c < 1e15 else { throw bad("COUNTS row \(i + 1)", "count \(c) is absurdly large (expected < 1e15)") }
        }
    }
}

/// Time and mass units accepted for spectrum metadata.
public enum MetadataUnit {
    /// Factor that converts a time in `unit` to days.
    public static func daysFactor(_ unit: String) -> Double? {
        switch unit.trimmingCharacters(in: .whitespaces).lowercased() {
        case "s", "sec", "second", "seconds": 1.0 / 86400   // 86 400 s per day (SI day)
        case "h", "hr", "hour", "hours": 1.0 / 24
        case "d", "day", "days": 1
        default: nil
        }
    }

    /// Factor that converts a mass in `unit` to kg.
    public static func kgFactor(_ unit: String) -> Double? {
        switch unit.trimmingCharacters(in: .whitespaces).lowercased() {
        case "kg": 1
        case "g": 1e-3
        default: nil
        }
    }
}
