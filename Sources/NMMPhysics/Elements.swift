import NMMCore

/// One atomic subshell: binding (edge) energy and number of electrons.
public struct AtomicShell: Sendable, Hashable {
    /// IUPAC name (K, L1, …, Q3).
    public let name: String
    /// Binding energy in keV; 0 for the few valence electrons xraylib lists no edge for
    /// (they are free in the step approximation).
    public let bindingEnergyKeV: Double
    /// Electrons in the subshell (xraylib shares partly filled shells between their j levels,
    /// so this may be fractional, e.g. C L2 = 2/3).
    public let electrons: Double
}

/// A chemical element: atomic number, standard atomic weight, every atomic subshell and the
/// natural isotopic composition of its nuclei.
///
/// - Atomic weights: IUPAC/CIAAW standard atomic weights 2021 (Prohaska et al., Pure Appl.
///   Chem. 94 (2022) 573), abridged/conventional values (e.g. Ge 72.630, F 18.998403162),
///   for the elements listed here; any other element symbol xraylib knows (Z = 1–98) is
///   accepted with xraylib's (older) atomic weight.
/// - Shells: all occupied subshells with their edge energies and occupancies from xraylib
///   (`Xraylib.shells`, NMMCore). The step approximation (physics.md §4) binds a subshell's
///   electrons for recoils T ≤ its edge energy. Ge agrees with the X-ray Data Booklet
///   (physics.md §4) to 0.3 eV for K and L and to 3 eV for M (TargetMaterialTests).
/// - Nuclei: `isotopes`, the natural isotopic mixture (`NaturalIsotopes`); without a table
///   for the element, one pseudo-isotope of mass number A = atomic weight.
public struct Element: Sendable, Hashable {
    public let symbol: String
    public let atomicNumber: Int
    /// Standard atomic weight (g/mol).
    public let standardAtomicWeight: Double
    /// Every occupied subshell (xraylib), K first.
    public let shells: [AtomicShell]

    /// Mean neutron number of the natural element, A − Z with A ≈ atomic weight.
    public var meanNeutronNumber: Double { standardAtomicWeight - Double(atomicNumber) }
    /// Mean nucleus mass (keV): A·m_u − Z·m_e (electron binding neglected).
    public var nucleusMassKeV: Double {
        standardAtomicWeight * PhysicsConstants.atomicMassUnitKeV - Double(atomicNumber) * PhysicsConstants.electronMassKeV
    }

    /// The natural isotopic mixture of the nuclei (abundances sum to 1).
    public var isotopes: [Isotope] { NaturalIsotopes.composition(of: self) }

    /// Electrons with binding energy below `recoilKeV` (all of them without the step model).
    public func effectiveElectrons(recoilKeV t: Double, bindingStep: Bool) -> Double {
        guard bindingStep else { return Double(atomicNumber) }
        let bound = shells.reduce(0.0) { $0 + ($1.bindingEnergyKeV >= t ? $1.electrons : 0) }
        return Double(atomicNumber) - bound
    }

    /// The element with this symbol (case-sensitive, e.g. "Ge", "Cs"), or nil.
    public static func lookup(_ symbol: String) -> Element? {
        if let element = table[symbol] { return element }
        guard let z = Xraylib.atomicNumber(symbol: symbol), Xraylib.symbol(atomicNumber: z) == symbol,
              let weight = try? Xraylib.atomicWeight(atomicNumber: z) else { return nil }
        return make(symbol, z, weight)
    }

    /// The elements with IUPAC 2021 weights, by symbol.
    public static let table: [String: Element] = Dictionary(uniqueKeysWithValues: list.map {
        ($0.symbol, make($0.symbol, $0.z, $0.weight))
    })

    private static func make(_ symbol: String, _ z: Int, _ weight: Double) -> Element {
        let shells: [AtomicShell]
        do {
            shells = try Xraylib.shells(atomicNumber: z).map {
                AtomicShell(name: $0.name, bindingEnergyKeV: $0.edgeEnergyKeV ?? 0, electrons: $0.occupancyElectrons)
            }
        } catch {
            preconditionFailure("xraylib has no shells for \(symbol) (Z = \(z)): \(error)")
        }
        return Element(symbol: symbol, atomicNumber: z, standardAtomicWeight: weight, shells: shells)
    }

    // Symbol, Z, standard atomic weight in g/mol (IUPAC 2021).
    private static let list: [(symbol: String, z: Int, weight: Double)] = [
        ("H", 1, 1.008), ("He", 2, 4.002602), ("Li", 3, 6.94), ("Be", 4, 9.0121831),
        ("B", 5, 10.81), ("C", 6, 12.011), ("N", 7, 14.007), ("O", 8, 15.999),
        ("F", 9, 18.998403162), ("Ne", 10, 20.1797), ("Na", 11, 22.98976928), ("Mg", 12, 24.305),
        ("Al", 13, 26.9815384), ("Si", 14, 28.085), ("P", 15, 30.973761998), ("S", 16, 32.06),
        ("Cl", 17, 35.45), ("Ar", 18, 39.95), ("K", 19, 39.0983), ("Ca", 20, 40.078),
        ("Fe", 26, 55.845), ("Ni", 28, 58.6934), ("Cu", 29, 63.546), ("Zn", 30, 65.38),
        ("Ga", 31, 69.723), ("Ge", 32, 72.630), ("As", 33, 74.921595), ("Se", 34, 78.971),
        ("Br", 35, 79.904), ("Kr", 36, 83.798), ("Mo", 42, 95.95), ("Cd", 48, 112.414),
        ("Sn", 50, 118.710), ("Sb", 51, 121.760), ("Te", 52, 127.60), ("I", 53, 126.90447),
        ("Xe", 54, 131.293), ("Cs", 55, 132.90545196), ("Ba", 56, 137.327), ("Gd", 64, 157.25),
        ("W", 74, 183.84), ("Pb", 82, 207.2), ("Bi", 83, 208.98040),
    ]
}
