/// A detector target material given by its chemical composition.
///
/// electrons/kg = N_A · (Σ n_i Z_i) / (molar mass in kg/mol); nuclei/kg of element i =
/// N_A · n_i / molar mass. Checks (physics.md §4): Ge 2.6533×10²⁶ e/kg, CF₄ 2.8741×10²⁶ e/kg.
public struct TargetMaterial: Sendable {
    /// One element of the composition.
    public struct Component: Sendable {
        public let element: Element
        /// Atoms per formula unit.
        public let atomsPerFormulaUnit: Double
        /// Atoms (nuclei) of this element per kg of material.
        public let nucleiPerKg: Double
    }

    /// The formula as given (or the built-in name).
    public let name: String
    public let components: [Component]
    /// Molar mass of one formula unit (g/mol).
    public let molarMassGPerMol: Double

    /// Built from a chemical formula ("Ge", "CF4", "C2H6", "NaI", …).
    public init(formula: String) throws {
        let parsed = try ChemicalFormula.parse(formula)
        let molar = parsed.reduce(0) { $0 + $1.count * $1.element.standardAtomicWeight }
        let formulaUnitsPerKg = PhysicsConstants.avogadroPerMol * PhysicsConstants.gramsPerKg / molar
        self.name = formula
        self.molarMassGPerMol = molar
        self.components = parsed.map {
            Component(element: $0.element, atomsPerFormulaUnit: $0.count, nucleiPerKg: $0.count * formulaUnitsPerKg)
        }
    }

    /// Names of the built-in targets (each is also its formula).
    public static let builtInNames = ["Ge", "Si", "NaI", "CsI", "CF4", "Xe"]
    public static let germanium = builtIn("Ge")
    public static let silicon = builtIn("Si")
    public static let sodiumIodide = builtIn("NaI")
    public static let caesiumIodide = builtIn("CsI")
    public static let carbonTetrafluoride = builtIn("CF4")
    public static let xenon = builtIn("Xe")

    private static func builtIn(_ formula: String) -> TargetMaterial {
        do { return try TargetMaterial(formula: formula) } catch {
            preconditionFailure("built-in target \(formula) does not parse: \(error)")
        }
    }

    /// Electrons per kg (all electrons).
    public var electronsPerKg: Double {
        components.reduce(0) { $0 + $1.nucleiPerKg * Double($1.element.atomicNumber) }
    }

    /// Nuclei (atoms) per kg summed over elements.
    public var nucleiPerKg: Double { components.reduce(0) { $0 + $1.nucleiPerKg } }

    /// Nuclei per kg of one element (0 if absent).
    public func nucleiPerKg(of symbol: String) -> Double {
        components.filter { $0.element.symbol == symbol }.reduce(0) { $0 + $1.nucleiPerKg }
    }

    /// Electrons per kg that can take a recoil T: with `bindingStep`, those whose binding
    /// energy is below T (step approximation, physics.md §4); otherwise all of them.
    public func effectiveElectronsPerKg(recoilKeV t: Double, bindingStep: Bool) -> Double {
        components.reduce(0) { $0 + $1.nucleiPerKg * $1.element.effectiveElectrons(recoilKeV: t, bindingStep: bindingStep) }
    }

    /// Sorted distinct binding energies (keV): where `effectiveElectronsPerKg` steps.
    public var bindingEdgesKeV: [Double] {
        Array(Set(components.flatMap { $0.element.shells.map(\.bindingEnergyKeV) })).sorted()
    }
}
