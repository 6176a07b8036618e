import XCTest
@testable import NMMPhysics

final class TargetMaterialTests: XCTestCase {
    // physics.md §4 [calc]: Ge (A = 72.63, Z = 32) → 2.6533×10²⁶ electrons/kg.
    func testGermaniumElectrons() {
        assertRelative(TargetMaterial.germanium.electronsPerKg, 2.6533e26, 1e-4)
        assertRelative(TargetMaterial.germanium.molarMassGPerMol, 72.630, 1e-12)
    }

    // physics.md §4 [calc]: CF₄ 88.004 g/mol, 42 electrons → 2.8741×10²⁶ electrons/kg.
    func testCF4Electrons() throws {
        let cf4 = try TargetMaterial(formula: "CF4")
        assertRelative(cf4.electronsPerKg, 2.8741e26, 1e-4)
        assertRelative(cf4.molarMassGPerMol, 88.004, 1e-4)
        assertRelative(cf4.nucleiPerKg(of: "F"), 4 * cf4.nucleiPerKg(of: "C"), 1e-12)
    }

    // IUPAC 2021 weights: C₂H₆ = 2·12.011 + 6·1.008 = 30.070 g/mol, 18 electrons;
    // Ca(OH)₂ = 40.078 + 2(15.999 + 1.008) = 74.092 g/mol; NaI 149.894; CsI 259.810.
    func testFormulaParsing() throws {
        let ethane = try TargetMaterial(formula: "C2H6")
        assertRelative(ethane.molarMassGPerMol, 30.070, 1e-9)
        assertRelative(ethane.electronsPerKg, 18 * 6.02214076e26 / 30.070, 1e-9)
        assertRelative(try TargetMaterial(formula: "Ca(OH)2").molarMassGPerMol, 74.092, 1e-9)
        assertRelative(TargetMaterial.sodiumIodide.molarMassGPerMol, 22.98976928 + 126.90447, 1e-12)
        assertRelative(TargetMaterial.caesiumIodide.molarMassGPerMol, 132.90545196 + 126.90447, 1e-12)
        assertRelative(try TargetMaterial(formula: "CH3CH3").molarMassGPerMol, 30.070, 1e-9)
        XCTAssertEqual(try TargetMaterial(formula: "CH3CH3").components.count, 2)
        assertRelative(try TargetMaterial(formula: "C0.5H2").molarMassGPerMol, 0.5 * 12.011 + 2 * 1.008, 1e-12)
        XCTAssertEqual(TargetMaterial.builtInNames.count, 6)
        for name in TargetMaterial.builtInNames { XCTAssertNoThrow(try TargetMaterial(formula: name)) }
    }

    // Brief §7: unknown element and malformed formula throw PhysicsError (exit 65).
    func testBadFormulas() {
        for (formula, kind) in [("Xx2", PhysicsError.Kind.unknownElement), ("CO(", .invalidFormula), ("C)", .invalidFormula),
                                ("", .invalidFormula), ("cf4", .invalidFormula), ("C-4", .invalidFormula), ("C0", .invalidFormula)] {
            XCTAssertThrowsError(try TargetMaterial(formula: formula), formula) { error in
                XCTAssertEqual((error as? PhysicsError)?.kind, kind, formula)
                XCTAssertEqual((error as? PhysicsError)?.exitStatus, .dataError)
            }
        }
    }

    // Step approximation with xraylib's Ge shells (K 11.1031 keV, 2 e; L 1.22–1.41 keV, 8 e;
    // M 0.029–0.180 keV, 18 e; N 2.3–5.0 eV, 4 e: free at the 10 eV folding floor, as physics.md §4 has them).
    func testGermaniumBindingStep() {
        let ge = TargetMaterial.germanium
        let perAtom = { (t: Double) in ge.effectiveElectronsPerKg(recoilKeV: t, bindingStep: true) / ge.nucleiPerKg }
        XCTAssertEqual(perAtom(11.0), 30, accuracy: 1e-9)
        XCTAssertEqual(perAtom(11.2), 32, accuracy: 1e-9)
        XCTAssertEqual(perAtom(1.0), 22, accuracy: 1e-9)
        XCTAssertEqual(perAtom(0.01), 4, accuracy: 1e-9)
        XCTAssertEqual(perAtom(0.001), 0, accuracy: 1e-9)
        XCTAssertEqual(ge.effectiveElectronsPerKg(recoilKeV: 0.01, bindingStep: false), ge.electronsPerKg)
        XCTAssertEqual(ge.bindingEdgesKeV.last!, 11.1031, accuracy: 1e-9)
        XCTAssertEqual(ge.components[0].element.shells.reduce(0) { $0 + $1.electrons }, 32, accuracy: 1e-9)
    }

    // Every element's shells (xraylib) hold exactly Z electrons; binding energies ≥ 0 and
    // below the K edge; IUPAC weights above Z.
    func testElementTableConsistency() {
        for element in Element.table.values {
            XCTAssertEqual(element.shells.reduce(0) { $0 + $1.electrons }, Double(element.atomicNumber), accuracy: 1e-9, element.symbol)
            XCTAssertEqual(element.shells.first?.name, "K", element.symbol)
            for shell in element.shells {
                XCTAssertGreaterThanOrEqual(shell.bindingEnergyKeV, 0, element.symbol)
                XCTAssertLessThanOrEqual(shell.bindingEnergyKeV, element.shells[0].bindingEnergyKeV, element.symbol)
            }
            XCTAssertGreaterThan(element.standardAtomicWeight, Double(element.atomicNumber), element.symbol)
        }
        for symbol in ["H", "C", "N", "O", "F", "Na", "Si", "Ar", "Ge", "I", "Cs", "Xe"] { XCTAssertNotNil(Element.lookup(symbol)) }
    }

    // Elements outside the IUPAC list come from xraylib (symbol, Z, xraylib's weight), so a
    // formula may use any element Z = 1–98: LaBr3 (La, Z = 57, not in the list), CaWO4 has all.
    func testElementsBeyondTheTable() throws {
        let la = try XCTUnwrap(Element.lookup("La"))
        XCTAssertEqual(la.atomicNumber, 57)
        XCTAssertEqual(la.shells.reduce(0) { $0 + $1.electrons }, 57, accuracy: 1e-9)
        XCTAssertNil(Element.lookup("Xx"))
        XCTAssertNil(Element.lookup("GE"))
        XCTAssertNoThrow(try TargetMaterial(formula: "LaBr3"))
    }
}
