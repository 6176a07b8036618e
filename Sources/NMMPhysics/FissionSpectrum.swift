import NMMCore

/// The ν̄e energy spectrum of one fissioning isotope, dN/dE per MeV per fission, over
/// 0 < E < `maximumEnergyMeV`.
///
/// - Above `matchingEnergyMeV` = 2 MeV: the Huber (²³⁵U, ²³⁹Pu, ²⁴¹Pu) or Mueller (²³⁸U)
///   exp-quintic fit, unchanged. The fits cover 2–8 MeV; from 8 to 10 MeV they are followed
///   as they fall (they are monotonic there and add < 0.1 % of the yield).
/// - Below 2 MeV no fit is valid (seed §4.3; physics.md §3). There the shape of the
///   Vogel–Engel exp-quadratic fit (PRD 39 (1989) 3378) is used, scaled to equal the
///   high-energy fit at 2 MeV (continuous spectrum) and tilted linearly,
///   S(E) = A · S_VE(E) · [1 + β (2 MeV − E)/2 MeV],
///   with β chosen so that ∫₀^Emax S dE equals the isotope's ν̄e yield of seed Table 1
///   (6.14, 7.08, 5.58, 6.42). β comes out 0.19 (²³⁵U), 0.32 (²³⁸U), 0.29 (²³⁹Pu) and
///   0.54 (²⁴¹Pu): the summation spectra rise faster below 2 MeV than the Vogel–Engel
///   extrapolation, and the tilt puts the missing yield at the lowest energies.
///   For recoils T ≪ E only the total yield matters (seed §4.3), which this keeps exact;
///   for high thresholds (MUNU, 700 keV) the shape between ~0.9 and 2 MeV matters and
///   carries this treatment's uncertainty.
public struct FissionSpectrum: Sendable {
    public let isotope: FissionIsotope
    /// A: S_high(2 MeV) / S_VE(2 MeV).
    public let lowEnergyScale: Double
    /// β of the linear tilt below 2 MeV (dimensionless; factor 1 + β at E = 0).
    public let lowEnergyTilt: Double

    /// Energy at which the low-energy shape joins the high-energy fit (Huber 2011 and
    /// Mueller 2011 start their fits at 2 MeV).
    public static let matchingEnergyMeV = 2.0
    /// Upper end of the spectrum (physics.md §3: fission ν̄ "extend to ~8 MeV"; the fits
    /// are followed to 10 MeV where S < 4×10⁻⁵ /MeV/fission for every isotope).
    public static let maximumEnergyMeV = 10.0
    /// Relative tolerance of the GSL integrals that fix β.
    static let integrationRelativeTolerance = 1e-11

    /// The low-energy treatment in one line, for output headers and reports.
    public static let lowEnergyTreatment =
        "E<2 MeV: Vogel-Engel PRD39(1989)3378 shape, continuous with Huber2011/Mueller2011 at 2 MeV, " +
        "times linear tilt 1+beta(2-E)/2 with beta fixed so each isotope's yield equals Wong&Li 2005 " +
        "Table 1 (6.14/7.08/5.58/6.42); E>2 MeV: Huber/Mueller fits to 10 MeV"

    /// Builds the spectrum, fixing A and β by GSL integration.
    public init(isotope: FissionIsotope) throws { try self.init(isotope: isotope, lowEnergyTiltScale: 1) }

    /// The spectrum with the low-energy tilt β multiplied by `lowEnergyTiltScale`: 1 is the
    /// standard treatment; 0 (the plain Vogel–Engel shape below 2 MeV) and 2 are the −1σ/+1σ
    /// alternatives of the shape nuisance reactorBelow2MeV — an assumption: the extra
    /// low-energy yield the tilt puts in (≈ the gap between summation spectra and the
    /// Vogel–Engel extrapolation) is taken as uncertain by ±100%.
    public init(isotope: FissionIsotope, lowEnergyTiltScale: Double) throws {
        self.isotope = isotope
        let e0 = Self.matchingEnergyMeV
        let ve = isotope.vogelEngelCoefficients
        let hi = isotope.highEnergyFitCoefficients
        let scale = expPolynomial(hi, e0) / expPolynomial(ve, e0)
        let integrator = Integrator(relativeTolerance: Self.integrationRelativeTolerance)
        let what = "normalising the \(isotope.rawValue) spectrum"
        let high = try integrator.integrate(e0, Self.maximumEnergyMeV, context: what) { expPolynomial(hi, $0) }.value
        let flat = try integrator.integrate(0, e0, context: what) { expPolynomial(ve, $0) }.value
        let tilted = try integrator.integrate(0, e0, context: what) { e in
            expPolynomial(ve, e) * (e0 - e) / e0
        }.value
        // Y = high + A (flat + β tilted)  ⇒  β = ((Y − high)/A − flat) / tilted
        let beta = ((isotope.neutrinosPerFission - high) / scale - flat) / tilted
        guard beta.isFinite, beta > -1 else {
            throw PhysicsError(.numerical, field: "spectrum.\(isotope.rawValue)",
                               "low-energy tilt \(beta) would make the spectrum negative")
        }
        self.lowEnergyScale = scale
        self.lowEnergyTilt = beta * lowEnergyTiltScale
    }

    /// dN/dE in ν̄e per MeV per fission; 0 outside [0, `maximumEnergyMeV`).
    public func perMeVPerFission(energyMeV e: Double) -> Double {
        guard e >= 0, e < Self.maximumEnergyMeV else { return 0 }
        let e0 = Self.matchingEnergyMeV
        if e >= e0 { return expPolynomial(isotope.highEnergyFitCoefficients, e) }
        return lowEnergyScale * expPolynomial(isotope.vogelEngelCoefficients, e) * (1 + lowEnergyTilt * (e0 - e) / e0)
    }

    /// The four spectra, built once per process.
    private static let cache: Result<[FissionIsotope: FissionSpectrum], PhysicsError> = {
        do {
            var table: [FissionIsotope: FissionSpectrum] = [:]
            for isotope in FissionIsotope.allCases { table[isotope] = try FissionSpectrum(isotope: isotope) }
            return .success(table)
        } catch let error as PhysicsError {
            return .failure(error)
        } catch {
            return .failure(PhysicsError(.numerical, field: "fissionSpectra", "\(error)"))
        }
    }()

    /// The shared (cached) spectrum of `isotope`.
    public static func standard(_ isotope: FissionIsotope) throws -> FissionSpectrum {
        guard let spectrum = try cache.get()[isotope] else {
            throw PhysicsError(.numerical, field: "fissionSpectra", "no spectrum for \(isotope.rawValue)")
        }
        return spectrum
    }
}
