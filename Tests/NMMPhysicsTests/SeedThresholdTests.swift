import XCTest
import NMMCore
@testable import NMMPhysics

/// Seed §5: "N_ν only increases by a factor of three with a lowering of detection threshold
/// from 10 keV to 10 eV in germanium" (citing atomic-effect studies, its ref. 30).
///
/// Interpretation: N_ν is "the signal events at some reference magnetic moment" (seed, Eq. 10),
/// so N_ν(T_th) = ∫_{T_th}^{T_max} dR_MM/dT dT, the ν̄e–e MM events above threshold T_th per kg
/// and day, reactor spectrum (seed Table 1 composition), Ge, with atomic binding in the step
/// approximation over every xraylib shell (an electron of binding B takes recoils T > B only).
/// The factor is N_ν(10 eV)/N_ν(10 keV); it does not depend on flux, mass or μ_ν.
///
/// Derivation of its size: per electron the MM rate is ∝ M₀/T − M₁, i.e. ≈ φ/T for T ≪ E, so
/// N_ν(10 eV) − N_ν(10 keV) ≈ φ·K μ² ∫_{10 eV}^{10 keV} Z_eff(T) dT/T, with Z_eff = 4, 14, 18,
/// 20, 22, 26, 28, 30 electrons between the Ge edges (N free; M4,5 28.7 eV; M3 120.8; M2 127.9;
/// M1 180.0; L3 1216.7; L2 1247.8; L1 1414.3 eV; K 11.103 keV): Σ Z_eff ln(T_hi/T_lo) ≈ 137,
/// against 32 ln(1000) = 221 for free electrons, while N_ν(10 keV) ≈ 32·⟨ln(T_max/10 keV) − 1⟩
/// ≈ 109 in the same units (ν̄e–e kinematics averaged over the spectrum; the measured ratios
/// below imply 109.3 and 109.2). So N_ν(10 eV)/N_ν(10 keV) = (109 + 137)/109 = 2.25 with
/// binding and (109 + 221)/109 = 3.02 for free electrons: the seed's "factor of three" is the
/// free-electron count; the step approximation over xraylib's shells gives 2.25.
/// (Tolerance ±0.01: numerics are good to 10⁻⁶; the band only flags a change of physics.)
final class SeedThresholdTests: XCTestCase {
    private func events(_ model: RateModel, above threshold: Double) throws -> Double {
        let top = Kinematics.maxElectronRecoilKeV(neutrinoEnergyKeV: FissionSpectrum.maximumEnergyMeV * 1000)
        var cuts = Set(model.bindingStep ? TargetMaterial.germanium.bindingEdgesKeV : [])
        var e = threshold
        while e < top { cuts.insert(e); e *= 2 }
        let points = ([threshold, top] + cuts.filter { $0 > threshold && $0 < top }).sorted()
        let integrator = Integrator(relativeTolerance: 1e-9)
        var total = 0.0
        for i in 0..<(points.count - 1) {
            total += try integrator.integrate(points[i], points[i + 1]) { model.tabulatedDifferentialRates(recoilKeV: $0).mmPerKgKeVDay }.value
        }
        return total
    }

    func testThresholdFactorTenKeVToTenEV() throws {
        let bound = try Fixtures.germaniumModel(bindingStep: true), free = try Fixtures.germaniumModel(bindingStep: false)
        let boundRatio = try events(bound, above: 0.01) / events(bound, above: 10)
        let freeRatio = try events(free, above: 0.01) / events(free, above: 10)
        print("seed §5: N_nu(10 eV)/N_nu(10 keV) = \(boundRatio) with binding (xraylib shells, step), \(freeRatio) free electrons")
        XCTAssertEqual(boundRatio, 2.253, accuracy: 0.01)
        XCTAssertEqual(freeRatio, 3.024, accuracy: 0.01)
    }
}
