/// One atomic subshell: binding energy and number of electrons.
public struct AtomicShell: Sendable, Hashable {
    public let name: String
    public let bindingEnergyKeV: Double
    public let occupancy: Int
}

/// A chemical element: atomic number, standard atomic weight and inner-shell binding energies.
///
/// - Atomic weights: IUPAC/CIAAW standard atomic weights 2021 (Prohaska et al., Pure Appl.
///   Chem. 94 (2022) 573), abridged/conventional values (e.g. Ge 72.630, F 18.998403162).
/// - Binding energies: X-ray Data Booklet (LBNL, 2nd ed. 2001), Table 1-1 (Williams; from
///   Bearden & Burr 1967 et al.), K and L1–L3 as listed there (light elements: only the
///   shells the table lists); for Ge also M1–M5 (physics.md §4). All other electrons are
///   treated as free (binding 0) by the step approximation.
/// - Nuclei: mean mass number A ≈ atomic weight in u, mean neutron number N = A − Z
///   (natural isotopic mixture), nucleus mass ≈ A·m_u − Z·m_e (electron binding neglected).
public struct Element: Sendable, Hashable {
    public let symbol: String
    public let atomicNumber: Int
    /// Standard atomic weight (g/mol).
    public let standardAtomicWeight: Double
    /// Bound shells (binding energy, occupancy); the remaining electrons are free.
    public let shells: [AtomicShell]

    /// Mean neutron number of the natural element, A − Z with A ≈ atomic weight.
    public var meanNeutronNumber: Double { standardAtomicWeight - Double(atomicNumber) }
    /// Mean nucleus mass (keV): A·m_u − Z·m_e.
    public var nucleusMassKeV: Double {
        standardAtomicWeight * PhysicsConstants.atomicMassUnitKeV - Double(atomicNumber) * PhysicsConstants.electronMassKeV
    }

    /// Electrons with binding energy below `recoilKeV` (all of them without the step model).
    public func effectiveElectrons(recoilKeV t: Double, bindingStep: Bool) -> Double {
        guard bindingStep else { return Double(atomicNumber) }
        let bound = shells.reduce(0) { $0 + ($1.bindingEnergyKeV >= t ? $1.occupancy : 0) }
        return Double(atomicNumber - bound)
    }

    /// The element with this symbol (case-sensitive, e.g. "Ge", "Cs"), or nil.
    public static func lookup(_ symbol: String) -> Element? { table[symbol] }

    /// Every element known to nmm, by symbol.
    public static let table: [String: Element] = Dictionary(uniqueKeysWithValues: list.map { ($0.symbol, $0) })

    private static func element(_ symbol: String, _ z: Int, _ weight: Double, k: Double, l: [Double] = [],
                                extra: [AtomicShell] = []) -> Element {
        var shells = [AtomicShell(name: "K", bindingEnergyKeV: k, occupancy: min(z, 2))]
        let lNames = ["L1", "L2", "L3"], lOccupancy = [2, 2, 4]
        for (i, b) in l.enumerated() { shells.append(AtomicShell(name: lNames[i], bindingEnergyKeV: b, occupancy: lOccupancy[i])) }
        return Element(symbol: symbol, atomicNumber: z, standardAtomicWeight: weight, shells: shells + extra)
    }

    /// Germanium M shells, X-ray Data Booklet via physics.md §4 (occupancies 2, 2, 4, 4, 6).
    private static let germaniumM: [AtomicShell] = [
        AtomicShell(name: "M1", bindingEnergyKeV: 0.1801, occupancy: 2),
        AtomicShell(name: "M2", bindingEnergyKeV: 0.1249, occupancy: 2),
        AtomicShell(name: "M3", bindingEnergyKeV: 0.1208, occupancy: 4),
        AtomicShell(name: "M4", bindingEnergyKeV: 0.0298, occupancy: 4),
        AtomicShell(name: "M5", bindingEnergyKeV: 0.0292, occupancy: 6),
    ]

    // Binding energies in keV (X-ray Data Booklet Table 1-1), weights in g/mol (IUPAC 2021).
    private static let list: [Element] = [
        element("H", 1, 1.008, k: 0.0136),
        element("He", 2, 4.002602, k: 0.0246),
        element("Li", 3, 6.94, k: 0.0547),
        element("Be", 4, 9.0121831, k: 0.1115),
        element("B", 5, 10.81, k: 0.188),
        element("C", 6, 12.011, k: 0.2842),
        element("N", 7, 14.007, k: 0.4099, l: [0.0373]),
        element("O", 8, 15.999, k: 0.5431, l: [0.0416]),
        element("F", 9, 18.998403162, k: 0.6967),
        element("Ne", 10, 20.1797, k: 0.8702, l: [0.0485, 0.0217, 0.0216]),
        element("Na", 11, 22.98976928, k: 1.0708, l: [0.0635, 0.03065, 0.03081]),
        element("Mg", 12, 24.305, k: 1.303, l: [0.0887, 0.04978, 0.0495]),
        element("Al", 13, 26.9815384, k: 1.5596, l: [0.1178, 0.07295, 0.07255]),
        element("Si", 14, 28.085, k: 1.839, l: [0.1497, 0.09982, 0.09942]),
        element("P", 15, 30.973761998, k: 2.1455, l: [0.189, 0.136, 0.135]),
        element("S", 16, 32.06, k: 2.472, l: [0.2309, 0.1636, 0.1625]),
        element("Cl", 17, 35.45, k: 2.8224, l: [0.270, 0.202, 0.200]),
        element("Ar", 18, 39.95, k: 3.2059, l: [0.3263, 0.2506, 0.2484]),
        element("K", 19, 39.0983, k: 3.6084, l: [0.3786, 0.2973, 0.2946]),
        element("Ca", 20, 40.078, k: 4.0385, l: [0.4384, 0.3497, 0.3462]),
        element("Fe", 26, 55.845, k: 7.112, l: [0.8446, 0.7199, 0.7068]),
        element("Ni", 28, 58.6934, k: 8.333, l: [1.0086, 0.870, 0.8527]),
        element("Cu", 29, 63.546, k: 8.979, l: [1.0967, 0.9523, 0.9327]),
        element("Zn", 30, 65.38, k: 9.659, l: [1.1962, 1.0449, 1.0218]),
        element("Ga", 31, 69.723, k: 10.367, l: [1.299, 1.1432, 1.1164]),
        element("Ge", 32, 72.630, k: 11.103, l: [1.4146, 1.2481, 1.2170], extra: germaniumM),
        element("As", 33, 74.921595, k: 11.867, l: [1.527, 1.3591, 1.3236]),
        element("Se", 34, 78.971, k: 12.658, l: [1.652, 1.4743, 1.4339]),
        element("Br", 35, 79.904, k: 13.474, l: [1.782, 1.596, 1.550]),
        element("Kr", 36, 83.798, k: 14.326, l: [1.921, 1.7309, 1.6784]),
        element("Mo", 42, 95.95, k: 20.000, l: [2.866, 2.625, 2.520]),
        element("Cd", 48, 112.414, k: 26.711, l: [4.018, 3.727, 3.538]),
        element("Sn", 50, 118.710, k: 29.200, l: [4.465, 4.156, 3.929]),
        element("Sb", 51, 121.760, k: 30.491, l: [4.698, 4.380, 4.132]),
        element("Te", 52, 127.60, k: 31.814, l: [4.939, 4.612, 4.341]),
        element("I", 53, 126.90447, k: 33.169, l: [5.188, 4.852, 4.557]),
        element("Xe", 54, 131.293, k: 34.561, l: [5.453, 5.107, 4.786]),
        element("Cs", 55, 132.90545196, k: 35.985, l: [5.714, 5.359, 5.012]),
        element("Ba", 56, 137.327, k: 37.441, l: [5.989, 5.624, 5.247]),
        element("Gd", 64, 157.25, k: 50.239, l: [8.376, 7.930, 7.243]),
        element("W", 74, 183.84, k: 69.525, l: [12.100, 11.544, 10.207]),
        element("Pb", 82, 207.2, k: 88.005, l: [15.861, 15.200, 13.035]),
        element("Bi", 83, 208.98040, k: 90.524, l: [16.388, 15.711, 13.419]),
    ]
}
