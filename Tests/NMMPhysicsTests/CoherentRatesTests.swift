import XCTest
import NMMCore
@testable import NMMPhysics

final class CoherentRatesTests: XCTestCase {
    private func reactor(_ flux: Double = 1e13) throws -> NeutrinoSource { .reactor(try Fixtures.source(flux: flux)) }

    // IUPAC 2013 abundances × AME2020 masses reproduce the IUPAC 2021 standard weights
    // (Ge 72.630: the mixture gives 72.6277) to < 2×10⁻⁴; abundances sum to 1.
    func testIsotopicCompositions() throws {
        for symbol in NaturalIsotopes.tabulatedSymbols {
            let element = try XCTUnwrap(Element.lookup(symbol))
            let isotopes = element.isotopes
            XCTAssertEqual(isotopes.reduce(0) { $0 + $1.abundance }, 1, accuracy: 1e-12, symbol)
            assertRelative(isotopes.reduce(0) { $0 + $1.abundance * $1.atomicMassU }, element.standardAtomicWeight, 2e-4, symbol)
        }
        XCTAssertEqual(Element.lookup("Ge")!.isotopes.map(\.massNumber), [70, 72, 73, 74, 76])
        // Without a table: one pseudo-isotope, N = A − Z as before (Ca: 40.078 − 20).
        let ca = Element.lookup("Ca")!.isotopes
        XCTAssertEqual(ca.count, 1)
        XCTAssertEqual(ca[0].neutronNumber, 20.078, accuracy: 1e-12)
    }

    // The moment formula against a direct GSL integral of Eqs. 8 and 9 (with F²) over the
    // reactor flux, isotope by isotope, at several T_N.
    func testNuclearRecoilRatesAgainstDirectIntegration() throws {
        let src = try Fixtures.source(flux: 1e13)
        let rates = try CoherentRates(source: .reactor(src), target: .germanium, quenching: .unquenched)
        for t in [0.001, 0.05, 0.3, 1.5] {
            var sm = 0.0, mm = 0.0
            for n in rates.nuclei {
                let iso = n.isotope, mass = iso.nucleusMassKeV
                let f = HelmFormFactor.formFactor(nuclearRecoilKeV: t, nucleusMassKeV: mass, massNumber: Double(iso.massNumber))
                let eMin = Kinematics.minNeutrinoEnergyForNuclearRecoilKeV(nuclearRecoilKeV: t, nucleusMassKeV: mass) / 1000
                let cuts = ([eMin] + src.kinksMeV.filter { $0 > eMin } + [src.maxEnergyMeV]).sorted()
                for i in 0..<(cuts.count - 1) {
                    sm += n.nucleiPerKg * (try Integrator(relativeTolerance: 1e-10).integrate(cuts[i], cuts[i + 1]) { e in
                        src.fluxPerCm2PerSPerMeV(energyMeV: e) * CoherentScattering.standardModel(
                            nuclearRecoilKeV: t, neutrinoEnergyKeV: e * 1000, Z: 32, N: iso.neutronNumber, nucleusMassKeV: mass, formFactorSquared: f * f)
                    }.value)
                    mm += n.nucleiPerKg * (try Integrator(relativeTolerance: 1e-10).integrate(cuts[i], cuts[i + 1]) { e in
                        src.fluxPerCm2PerSPerMeV(energyMeV: e) * CoherentScattering.magneticMoment(
                            nuclearRecoilKeV: t, neutrinoEnergyKeV: e * 1000, Z: 32, nucleusMassKeV: mass, muNuInBohrMagnetons: 1e-10, formFactorSquared: f * f)
                    }.value)
                }
            }
            let r = rates.nuclearRecoilRates(nuclearRecoilKeV: t)
            assertRelative(r.smPerKgKeVDay, sm * 86400, 1e-6, "SM at \(t)")
            assertRelative(r.mmPerKgKeVDay, mm * 86400, 1e-6, "MM at \(t)")
        }
    }

    // What the isotopes and the form factor change against the old model (N = atomic weight − Z
    // = 40.63, one mean mass, F = 1): ⟨Q_W² M⟩/(Q̄_W² M̄) − 1 = +0.83 %, of which +0.39 % because
    // the isotopes' mean N = Σ a_i (A_i − Z) = 40.705 (integer mass numbers; the atomic weight
    // is below the mean mass number by the mass defect), ΔQ_W²/Q_W² = 2·0.075/38.2, and
    // +0.44 % from the spread of N (var N = 3.11) through Q_W² and M; F² at 0.3 keV_nr: −0.56 %.
    func testIsotopesAndFormFactorAgainstMeanNucleus() throws {
        let src = try reactor()
        let full = try CoherentRates(source: src, target: .germanium, quenching: .unquenched)
        let noFF = try CoherentRates(source: src, target: .germanium, quenching: .unquenched, useFormFactor: false)
        let ge = Element.lookup("Ge")!
        let s2 = PhysicsConstants.sin2ThetaWDefault
        let meanQ = CoherentScattering.weakCharge(Z: 32, N: ge.meanNeutronNumber, sin2ThetaW: s2)
        let spread = ge.isotopes.reduce(0) {
            let q = CoherentScattering.weakCharge(Z: 32, N: $1.neutronNumber, sin2ThetaW: s2)
            return $0 + $1.abundance * q * q * $1.nucleusMassKeV
        } / (meanQ * meanQ * ge.nucleusMassKeV)
        print("isotopes: <Q^2 M>/(Qbar^2 Mbar) = \(spread)")
        XCTAssertEqual(spread, 1.0083, accuracy: 0.0003)
        let a = full.nuclearRecoilRates(nuclearRecoilKeV: 0.3), b = noFF.nuclearRecoilRates(nuclearRecoilKeV: 0.3)
        print("F^2 effect at 0.3 keVnr: SM \(a.smPerKgKeVDay / b.smPerKgKeVDay - 1), MM \(a.mmPerKgKeVDay / b.mmPerKgKeVDay - 1)")
        XCTAssertEqual(a.smPerKgKeVDay / b.smPerKgKeVDay, 0.9945, accuracy: 0.001)
    }

    // Counts are conserved by the change of variable: ∫ dR/dE_ee dE_ee over [E₁, E₂] equals
    // ∫ dR/dT_N dT_N over [T_N(E₁), T_N(E₂)] (Lindhard k = 0.157).
    func testElectronEquivalentConservesCounts() throws {
        let rates = try CoherentRates(source: reactor(), target: .germanium, quenching: .lindhard(k: 0.157))
        let e1 = 0.02, e2 = 0.3
        let t1 = rates.quenching.nuclearRecoilKeV(electronEquivalentKeV: e1, atomicNumber: 32)
        let t2 = rates.quenching.nuclearRecoilKeV(electronEquivalentKeV: e2, atomicNumber: 32)
        let integrator = Integrator(relativeTolerance: 1e-10)
        for pick in [\CoherentRatesTests.Pair.sm, \.mm] {
            let inEE = try integrator.integrate(e1, e2) { Pair(rates.differentialRates(electronEquivalentKeV: $0))[keyPath: pick] }.value
            let inNR = try integrator.integrate(t1, t2) { Pair(rates.nuclearRecoilRates(nuclearRecoilKeV: $0))[keyPath: pick] }.value
            assertRelative(inEE, inNR, 1e-8)
        }
        // Unquenched, E_ee is T_N.
        let plain = try CoherentRates(source: reactor(), target: .germanium, quenching: .unquenched)
        XCTAssertEqual(plain.differentialRates(electronEquivalentKeV: 0.2).smPerKgKeVDay, plain.nuclearRecoilRates(nuclearRecoilKeV: 0.2).smPerKgKeVDay)
    }

    struct Pair {
        let sm: Double, mm: Double
        init(_ r: (smPerKgKeVDay: Double, mmPerKgKeVDay: Double)) { sm = r.smPerKgKeVDay; mm = r.mmPerKgKeVDay }
    }

    // Binned coherent rates fold like the ν–e templates: without a response they are bin
    // averages of dR/dE_ee; with a 20 eV resolution and a threshold efficiency the total over a
    // wide window stays within the Gaussian spill at its ends.
    func testBinnedCoherentRates() throws {
        let edges = [0.1, 0.15, 0.2, 0.3, 0.5]
        let plain = try CoherentRates(source: reactor(), target: .germanium, quenching: .lindhard(k: 0.157))
        let binned = try plain.binnedRates(edgesKeV: edges)
        for j in 0..<(edges.count - 1) {
            let avg = try Integrator(relativeTolerance: 1e-10).integrate(edges[j], edges[j + 1]) {
                plain.differentialRates(electronEquivalentKeV: $0).smPerKgKeVDay
            }.value / (edges[j + 1] - edges[j])
            assertRelative(binned.sm[j], avg, 1e-7, "bin \(j)")
        }
        let response = try DetectorResponse(resolutionAKeV: 0.02, efficiency: [(0.15, 0.5), (0.25, 1.0)])
        let folded = try CoherentRates(source: reactor(), target: .germanium, quenching: .lindhard(k: 0.157), response: response)
            .binnedRates(edgesKeV: edges)
        XCTAssertTrue(folded.sm.allSatisfy { $0 > 0 && $0.isFinite })
        XCTAssertLessThan(folded.sm[0], binned.sm[0])   // efficiency 0.5–0.75 in the first bin
    }

    // Across the end of the reactor spectrum (T_N,max(10 MeV) ≈ 2.8–3.1 keV_nr for the Ge
    // isotopes, 0.55–0.65 keV_ee at k = 0.162) the folded rate has a kink per isotope; without
    // split points there, QAGS stopped with a roundoff error on the 20 eV-folded integrand
    // (the bins of config/conus-plus.yaml). Every bin now integrates, the rate vanishes above the
    // end, and the folded total equals the unfolded one within the Gaussian spill at the edges.
    func testFoldedBinsAcrossTheEndOfTheSpectrum() throws {
        let edges = (0...83).map { 0.17 + 0.01 * Double($0) }
        let q = QuenchingModel.lindhard(k: 0.162)
        let rates = try CoherentRates(source: reactor(), target: .germanium, quenching: q,
                                      response: try DetectorResponse(resolutionAKeV: 0.02))
        let ends = rates.maximumElectronEquivalentKeVOfSpectrumEnd
        XCTAssertEqual(ends.count, 5)
        XCTAssert(ends.allSatisfy { (0.5...0.7).contains($0) }, "\(ends)")
        let folded = try rates.binnedRates(edgesKeV: edges)
        XCTAssertTrue(folded.sm.allSatisfy { $0.isFinite && $0 >= 0 } && folded.mm.allSatisfy { $0.isFinite && $0 >= 0 })
        XCTAssertEqual(folded.sm.last!, 0, accuracy: 1e-9 * folded.sm[0], "nothing beyond the end (+6σ)")
        let plain = try CoherentRates(source: reactor(), target: .germanium, quenching: q).binnedRates(edgesKeV: edges)
        let width = 0.01, total = { (r: [Double]) in r.reduce(0, +) * width }
        // The low edge at 0.17 keV_ee gains upward-smeared events from below: more, not fewer.
        XCTAssertGreaterThan(total(folded.sm), total(plain.sm))
        XCTAssertEqual(total(folded.sm) / total(plain.sm), 1, accuracy: 0.3)
    }
}
