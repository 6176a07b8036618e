internal import CXraylib

/// One atomic subshell as xraylib tabulates it.
public struct XraylibShell: Sendable, Hashable {
    /// IUPAC name: K, L1 … L3, M1 … M5, N1 … N7, O1 … O7, P1 … P5, Q1 … Q3.
    public let name: String
    /// xraylib's shell index (K_SHELL = 0 … Q3_SHELL = 30).
    public let index: Int
    /// Absorption-edge (binding) energy in keV, nil where xraylib lists none (mostly the
    /// outermost s electrons of metals, e.g. Fe 4s, Cs 6s).
    public let edgeEnergyKeV: Double?
    /// Electrons in the subshell of the ground-state atom. Not always an integer: xraylib
    /// shares a partly filled p, d or f shell between its two j levels by statistical weight
    /// (C: L2 2/3, L3 4/3).
    public let occupancyElectrons: Double
}

/// Atomic data from xraylib 4 (T. Schoonjans et al., Spectrochim. Acta B 66 (2011) 776;
/// Debian libxrl 4.0.0): every occupied subshell's edge energy (EdgeEnergy, keV) and
/// occupancy (ElectronConfig), the element symbols and xraylib's atomic weights.
/// The only code that calls xraylib; everything above sees Swift values.
public enum Xraylib {
    /// Atomic numbers xraylib covers for shells and weights.
    public static let atomicNumberRange = 1...98

    /// IUPAC subshell names in xraylib's index order (xraylib-shells.h).
    public static let shellNames = [
        "K", "L1", "L2", "L3", "M1", "M2", "M3", "M4", "M5",
        "N1", "N2", "N3", "N4", "N5", "N6", "N7", "O1", "O2", "O3", "O4", "O5", "O6", "O7",
        "P1", "P2", "P3", "P4", "P5", "Q1", "Q2", "Q3",
    ]

    /// The occupied subshells of element Z (occupancy > 0), K first. Their occupancies sum
    /// to Z (to rounding). Throws for Z outside `atomicNumberRange`.
    public static func shells(atomicNumber z: Int) throws -> [XraylibShell] {
        try checkRange(z)
        var result: [XraylibShell] = []
        for index in Int(cxrl_first_shell())...Int(cxrl_last_shell()) {
            guard let occupancy = value({ ElectronConfig(Int32(z), Int32(index), $0) }), occupancy > 0 else { continue }
            let edge = value { EdgeEnergy(Int32(z), Int32(index), $0) }
            result.append(XraylibShell(name: shellNames[index], index: index, edgeEnergyKeV: (edge ?? 0) > 0 ? edge : nil,
                                       occupancyElectrons: exactOccupancy(occupancy)))
        }
        return result
    }

    /// xraylib's atomic weight (g/mol) of element Z (older than the IUPAC 2021 values: Ge 72.59).
    public static func atomicWeight(atomicNumber z: Int) throws -> Double {
        try checkRange(z)
        guard let w = value({ AtomicWeight(Int32(z), $0) }), w > 0 else {
            throw InputError(file: nil, field: "Z", "xraylib has no atomic weight for Z = \(z)")
        }
        return w
    }

    /// Z of an element symbol ("Ge" → 32), nil if xraylib does not know it.
    public static func atomicNumber(symbol: String) -> Int? {
        guard let z = value({ Double(SymbolToAtomicNumber(symbol, $0)) }), z > 0 else { return nil }
        return Int(z)
    }

    /// Symbol of element Z ("Ge"), nil outside xraylib's table.
    public static func symbol(atomicNumber z: Int) -> String? {
        var error: UnsafeMutablePointer<xrl_error>? = nil
        guard let p = AtomicNumberToSymbol(Int32(z), &error) else {
            if let error { xrl_error_free(error) }
            return nil
        }
        defer { xrlFree(p) }
        return String(cString: p)
    }

    /// xraylib prints the shares of a partly filled shell to 5–6 digits (C: 0.666667 + 1.33333
    /// = 1.999997). They are multiples of 1/3 (p), 1/5 (d) or 1/7 (f): the (2j+1) weights
    /// 2:4, 4:6, 6:8. Rounding to the nearest multiple of 1/105 restores the exact fraction
    /// (the printed values are within 10⁻⁵ of it, far below 1/210), so the occupancies sum to Z.
    static func exactOccupancy(_ n: Double) -> Double {
        (n * occupancyDenominator).rounded() / occupancyDenominator
    }
    /// lcm(3, 5, 7).
    static let occupancyDenominator = 105.0

    private static func checkRange(_ z: Int) throws {
        guard atomicNumberRange.contains(z) else {
            throw InputError(file: nil, field: "Z", "atomic number must lie in \(atomicNumberRange), got \(z)")
        }
    }

    /// Runs an xraylib call with an error slot; nil (and the error freed) when it reports one.
    private static func value(_ call: (UnsafeMutablePointer<UnsafeMutablePointer<xrl_error>?>) -> Double) -> Double? {
        var error: UnsafeMutablePointer<xrl_error>? = nil
        let v = call(&error)
        if let error {
            xrl_error_free(error)
            return nil
        }
        return v
    }
}
