import XCTest
@testable import NMMPhysics

final class FormFactorAndQuenchingTests: XCTestCase {
    // Lewin & Smith 1996 parameters for Ge (A = 72.63): c = 1.23·A^(1/3) − 0.60 = 4.531887 fm,
    // r_n = √(c² + (7/3)π²a² − 5s²) = 4.766033 fm (hand evaluation, python).
    func testHelmRadius() {
        XCTAssertEqual(HelmFormFactor.radiusFm(massNumber: 72.63), 4.76603258414265, accuracy: 1e-12)
    }

    // F → 1 as q → 0, like 1 − q²(r_n²/10 + s²/2) (the expansion of 3j₁(x)/x · e^(−q²s²/2)).
    func testHelmAtSmallQ() {
        XCTAssertEqual(HelmFormFactor.formFactor(momentumTransferPerFm: 0, massNumber: 72.63), 1)
        let r = HelmFormFactor.radiusFm(massNumber: 72.63), s = HelmFormFactor.skinThicknessFm
        for q in [1e-4, 1e-3, 1e-2] {
            let expected = 1 - q * q * (r * r / 10 + s * s / 2)
            XCTAssertEqual(HelmFormFactor.formFactor(momentumTransferPerFm: q, massNumber: 72.63), expected, accuracy: 10 * q * q * q * q)  // O(q⁴) rest
        }
        // The series and the closed form meet at x = 0.1 to < 10⁻¹³.
        XCTAssertEqual(HelmFormFactor.sphereAmplitude(0.1 - 1e-12), HelmFormFactor.sphereAmplitude(0.1 + 1e-12), accuracy: 1e-13)
        // Hand value at q = 0.5 fm⁻¹ (python): 0.484326281829353.
        XCTAssertEqual(HelmFormFactor.formFactor(momentumTransferPerFm: 0.5, massNumber: 72.63), 0.48432628182935317, accuracy: 1e-13)
    }

    // First zero of 3j₁(x)/x at x = 4.493409457909064 (tan x = x): F changes sign there.
    func testHelmFirstZero() {
        let r = HelmFormFactor.radiusFm(massNumber: 72.63), x0 = 4.493409457909064
        XCTAssertEqual(HelmFormFactor.formFactor(momentumTransferPerFm: x0 / r, massNumber: 72.63), 0, accuracy: 1e-15)
        XCTAssertGreaterThan(HelmFormFactor.formFactor(momentumTransferPerFm: 0.999 * x0 / r, massNumber: 72.63), 0)
        XCTAssertLessThan(HelmFormFactor.formFactor(momentumTransferPerFm: 1.001 * x0 / r, massNumber: 72.63), 0)
    }

    // Reactor ν̄e on Ge: at the largest recoil (E = 10 MeV, T_N,max = 2.96 keV) q = 0.102 fm⁻¹
    // and F² = 0.945; at 1 keV_nr F² = 0.981; at 100 eV_nr 0.998.
    func testHelmAtReactorRecoils() {
        let m = Element.lookup("Ge")!.nucleusMassKeV
        let f2 = { (t: Double) -> Double in let f = HelmFormFactor.formFactor(nuclearRecoilKeV: t, nucleusMassKeV: m, massNumber: 72.63); return f * f }
        let tMax = Kinematics.maxNuclearRecoilKeV(neutrinoEnergyKeV: 10_000, nucleusMassKeV: m)
        print("Ge: T_N,max(10 MeV) = \(tMax) keV, F² = \(f2(tMax)); F²(1 keV) = \(f2(1)); F²(0.1 keV) = \(f2(0.1))")
        XCTAssertEqual(f2(tMax), 0.945, accuracy: 0.002)
        XCTAssertEqual(f2(1), 0.981, accuracy: 0.002)
        XCTAssertEqual(f2(0.1), 0.998, accuracy: 0.001)
    }

    // T_N,max = 2E²/(M + 2E): Ge nucleus (M = 72.63 u − 32 m_e = 67 638 064.69 keV), E = 3 MeV
    // → 0.266098734 keV_nr (hand evaluation); E_min inverts it.
    func testNuclearRecoilKinematics() {
        let m = 67_638_064.6923646
        XCTAssertEqual(Kinematics.maxNuclearRecoilKeV(neutrinoEnergyKeV: 3000, nucleusMassKeV: m), 0.26609873433628495, accuracy: 1e-14)
        XCTAssertEqual(Kinematics.minNeutrinoEnergyForNuclearRecoilKeV(nuclearRecoilKeV: 0.26609873433628495, nucleusMassKeV: m), 3000, accuracy: 1e-7)
        assertRelative(Element.lookup("Ge")!.nucleusMassKeV, m, 1e-12)
    }

    // Lindhard k = 0.133 Z^(2/3) A^(−1/2) = 0.157299 for Ge; Y(T_N) with k = 0.157 at 0.1, 1, 10
    // keV_nr: 0.125863, 0.170991, 0.234107 (hand evaluation of physics.md §8's formula).
    func testLindhardPoints() {
        XCTAssertEqual(QuenchingModel.lindhardK(atomicNumber: 32, massNumber: 72.63), 0.15729935353214283, accuracy: 1e-14)
        let y = QuenchingModel.lindhard(k: 0.157)
        XCTAssertEqual(y.yield(nuclearRecoilKeV: 0.1, atomicNumber: 32), 0.1258626428186443, accuracy: 1e-14)
        XCTAssertEqual(y.yield(nuclearRecoilKeV: 1.0, atomicNumber: 32), 0.1709908709225335, accuracy: 1e-14)
        XCTAssertEqual(y.yield(nuclearRecoilKeV: 10.0, atomicNumber: 32), 0.23410722816193508, accuracy: 1e-14)
        XCTAssertEqual(QuenchingModel.unquenched.yield(nuclearRecoilKeV: 0.3, atomicNumber: 32), 1)
    }

    // dT_N/dE_ee against central finite differences of the inverse map, for Lindhard and a table.
    func testJacobianByFiniteDifferences() throws {
        let table = try QuenchingModel.tabulated([QuenchingPoint(nuclearRecoilKeV: 0.1, yield: 0.12),
                                                  QuenchingPoint(nuclearRecoilKeV: 1, yield: 0.18),
                                                  QuenchingPoint(nuclearRecoilKeV: 5, yield: 0.22)]).validated()
        for model in [QuenchingModel.lindhard(k: 0.157), .lindhard(k: 0.2), table, .unquenched] {
            for eee in [0.005, 0.02, 0.1, 0.5] {
                let t = model.nuclearRecoilKeV(electronEquivalentKeV: eee, atomicNumber: 32)
                XCTAssertEqual(model.electronEquivalentKeV(nuclearRecoilKeV: t, atomicNumber: 32), eee, accuracy: 1e-12 * eee)
                let h = 1e-5 * eee
                let numeric = (model.nuclearRecoilKeV(electronEquivalentKeV: eee + h, atomicNumber: 32)
                               - model.nuclearRecoilKeV(electronEquivalentKeV: eee - h, atomicNumber: 32)) / (2 * h)
                assertRelative(model.jacobian(nuclearRecoilKeV: t, atomicNumber: 32), numeric, 1e-6, "\(model) at \(eee) keVee")
            }
        }
    }

    // Bad choices are refused: k ≤ 0, an empty or unsorted table, Y outside (0, 1], a table
    // whose Y·T_N falls.
    func testQuenchingValidation() {
        let bad: [QuenchingModel] = [
            .lindhard(k: 0), .lindhard(k: .nan), .tabulated([]),
            .tabulated([QuenchingPoint(nuclearRecoilKeV: 1, yield: 0.2), QuenchingPoint(nuclearRecoilKeV: 0.5, yield: 0.2)]),
            .tabulated([QuenchingPoint(nuclearRecoilKeV: 1, yield: 1.2)]),
            .tabulated([QuenchingPoint(nuclearRecoilKeV: 1, yield: 0.9), QuenchingPoint(nuclearRecoilKeV: 2, yield: 0.1)]),
        ]
        for model in bad { XCTAssertThrowsError(try model.validated(), "\(model)") }
    }
}
