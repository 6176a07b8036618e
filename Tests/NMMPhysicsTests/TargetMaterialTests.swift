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

    // Step approximation with X-ray Data Booklet Ge shells (physics.md §4): K = 11.103 keV (2 e),
    // L 1.2–1.4 keV (8 e), M 0.03–0.18 keV (18 e), 4 N electrons free.
    func testGermaniumBindingStep() {
        let ge = TargetMaterial.germanium
        let perAtom = { (t: Double) in ge.effectiveElectronsPerKg(recoilKeV: t, bindingStep: true) / ge.nucleiPerKg }
        XCTAssertEqual(perAtom(11.0), 30, accuracy: 1e-9)
        XCTAssertEqual(perAtom(11.2), 32, accuracy: 1e-9)
        XCTAssertEqual(perAtom(1.0), 22, accuracy: 1e-9)
        XCTAssertEqual(perAtom(0.01), 4, accuracy: 1e-9)
        XCTAssertEqual(ge.effectiveElectronsPerKg(recoilKeV: 0.01, bindingStep: false), ge.electronsPerKg)
        XCTAssertEqual(ge.bindingEdgesKeV.last, 11.103)
        XCTAssertEqual(ge.components[0].element.shells.reduce(0) { $0 + $1.occupancy }, 28)
    }

    // Every element's bound shells hold no more electrons than Z.
    func testElementTableConsistency() {
        for element in Element.table.values {
            XCTAssertLessThanOrEqual(element.shells.reduce(0) { $0 + $1.occupancy }, element.atomicNumber, element.symbol)
            XCTAssertGreaterThan(element.standardAtomicWeight, Double(element.atomicNumber), element.symbol)
        }
        for symbol in ["H", "C", "N", "O", "F", "Na", "Si", "Ar", "Ge", "I", "Cs", "Xe"] { XCTAssertNotNil(Element.lookup(symbol)) }
    }
}
