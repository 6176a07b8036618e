/// One isotope of a natural element: mass number, atomic mass and abundance.
public struct Isotope: Sendable, Hashable {
    public let massNumber: Int
    /// Atomic mass (of the neutral atom) in u.
    public let atomicMassU: Double
    /// Fraction of the element's atoms (mole fraction).
    public let abundance: Double
    public let atomicNumber: Int
    /// N = A − Z; for a pseudo-isotope (no table) the mean A − Z of the element, not an integer.
    public let neutronNumber: Double
    /// The A of the Helm radius: the mass number, or the atomic weight for a pseudo-isotope.
    public var helmMassNumber: Double { neutronNumber + Double(atomicNumber) }
    /// Nucleus mass (keV): M_atom·m_u − Z·m_e (electron binding, ≤ 0.1 keV in Ge per atom
    /// against 6.8×10⁷ keV, neglected).
    public var nucleusMassKeV: Double {
        atomicMassU * PhysicsConstants.atomicMassUnitKeV - Double(atomicNumber) * PhysicsConstants.electronMassKeV
    }
}

/// Natural isotopic compositions of the target elements nmm knows.
///
/// - Abundances: IUPAC "Isotopic compositions of the elements 2013" (Meija et al., Pure Appl.
///   Chem. 88 (2016) 293), representative isotopic compositions (mole fractions).
/// - Atomic masses: AME2020 (Wang et al., Chin. Phys. C 45 (2021) 030003), in u.
/// The abundance-weighted mass of each reproduces the IUPAC 2021 standard atomic weight to
/// < 2×10⁻⁴ relative (NaturalIsotopesTests). Elements without a table here are one
/// pseudo-isotope of mass number A = standard atomic weight (N = A − Z not an integer), which
/// is what nmm used for every element before.
public enum NaturalIsotopes {
    /// (mass number, atomic mass in u, abundance) per element symbol.
    static let table: [String: [(a: Int, massU: Double, abundance: Double)]] = [
        "H": [(1, 1.00782503224, 0.999885), (2, 2.01410177812, 0.000115)],
        "C": [(12, 12.0, 0.9893), (13, 13.00335483521, 0.0107)],
        "N": [(14, 14.00307400446, 0.99636), (15, 15.00010889894, 0.00364)],
        "O": [(16, 15.99491461960, 0.99757), (17, 16.99913175664, 0.00038), (18, 17.99915961284, 0.00205)],
        "F": [(19, 18.99840316288, 1.0)],
        "Na": [(23, 22.98976928196, 1.0)],
        "Si": [(28, 27.97692653442, 0.92223), (29, 28.97649466434, 0.04685), (30, 29.973770137, 0.03092)],
        "Ar": [(36, 35.967545105, 0.003336), (38, 37.96273211, 0.000629), (40, 39.9623831237, 0.996035)],
        // Germanium: ⁷⁰Ge 20.57 %, ⁷²Ge 27.45 %, ⁷³Ge 7.75 %, ⁷⁴Ge 36.50 %, ⁷⁶Ge 7.73 %.
        "Ge": [(70, 69.92424871, 0.2057), (72, 71.922075826, 0.2745), (73, 72.923458956, 0.0775),
               (74, 73.921177761, 0.3650), (76, 75.921402726, 0.0773)],
        "I": [(127, 126.9044719, 1.0)],
        "Xe": [(124, 123.905892, 0.000952), (126, 125.9042983, 0.000890), (128, 127.903531, 0.019102),
               (129, 128.9047808611, 0.264006), (130, 129.903509349, 0.040710), (131, 130.90508406, 0.212324),
               (132, 131.9041550856, 0.269086), (134, 133.90539466, 0.104357), (136, 135.907214484, 0.088573)],
        "Cs": [(133, 132.905451961, 1.0)],
    ]

    /// Symbols with a tabulated composition.
    public static var tabulatedSymbols: [String] { table.keys.sorted() }

    /// The element's natural isotopes (abundances normalised to sum to 1), or one
    /// pseudo-isotope of mass number round(A) and atomic mass A = standard atomic weight.
    public static func composition(of element: Element) -> [Isotope] {
        guard let rows = table[element.symbol] else {
            return [Isotope(massNumber: Int(element.standardAtomicWeight.rounded()), atomicMassU: element.standardAtomicWeight,
                            abundance: 1, atomicNumber: element.atomicNumber, neutronNumber: element.meanNeutronNumber)]
        }
        let total = rows.reduce(0) { $0 + $1.abundance }
        return rows.map {
            Isotope(massNumber: $0.a, atomicMassU: $0.massU, abundance: $0.abundance / total, atomicNumber: element.atomicNumber,
                    neutronNumber: Double($0.a - element.atomicNumber))
        }
    }
}
