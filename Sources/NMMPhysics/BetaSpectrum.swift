import Foundation
import NMMCore

/// The ν̄e energy spectrum of one allowed β⁻ transition, normalised to one ν̄e per decay.
///
/// Shape: dN/dE_ν ∝ p_e W_e E_ν² F(Z, W_e), with electron kinetic energy T_e = Q − E_ν
/// (nuclear recoil neglected), W_e = T_e + m_e, p_e = √(W_e² − m_e²): the allowed shape of
/// Fermi theory (e.g. Krane, Introductory Nuclear Physics (1988) ch. 9) with the
/// point-nucleus relativistic Fermi function
/// F(Z, W) = 2(1+γ) (2pR)^(2γ−2) e^(πη) |Γ(γ+iη)|² / Γ(2γ+1)², γ = √(1−(αZ)²), η = αZW/p
/// (W, p in m_e units, R in ħ/m_e c), as used for reactor spectra by Huber, PRC 84 (2011)
/// 024617 and Vogel, PRC 76 (2007) 025504; R = 1.2 A^(1/3) fm (Krane §3.1).
/// No finite-size, screening or radiative corrections: a simple approximation, adequate
/// for the ²³⁹U/²³⁹Np spectra whose total (2 ν̄e per capture) is what the analysis uses.
public struct AllowedBetaDecay: Sendable {
    public let name: String
    /// Q value = maximum ν̄e energy (MeV).
    public let endpointMeV: Double
    /// Atomic number of the daughter nucleus (β⁻: parent Z + 1).
    public let daughterZ: Int
    public let massNumber: Int
    /// ∫₀^Q (unnormalised shape) dE, so that the spectrum integrates to 1.
    let normalisation: Double

    /// Nuclear radius constant r₀ in R = r₀ A^(1/3) (Krane, Introductory Nuclear Physics
    /// (1988) §3.1: r₀ ≈ 1.2 fm).
    public static let radiusConstantFm = 1.2

    public init(name: String, endpointMeV: Double, daughterZ: Int, massNumber: Int) throws {
        guard endpointMeV > 0, daughterZ > 0, massNumber > 0,
              Double(daughterZ) * PhysicsConstants.fineStructureConstant < 1 else {
            throw PhysicsError(.invalidValue, field: "betaDecay.\(name)",
                               "needs Q > 0, 0 < Z < 137 and A > 0 (got Q=\(endpointMeV), Z=\(daughterZ), A=\(massNumber))")
        }
        self.name = name
        self.endpointMeV = endpointMeV
        self.daughterZ = daughterZ
        self.massNumber = massNumber
        let n = try Integrator(relativeTolerance: 1e-11).integrate(0, endpointMeV, context: "normalising the \(name) β spectrum") {
            Self.unnormalisedShape(energyMeV: $0, endpointMeV: endpointMeV, daughterZ: daughterZ, massNumber: massNumber)
        }.value
        guard n.isFinite, n > 0 else {
            throw PhysicsError(.numerical, field: "betaDecay.\(name)", "spectrum normalisation \(n) is not positive")
        }
        self.normalisation = n
    }

    /// dN/dE in ν̄e per MeV per decay; 0 outside (0, Q).
    public func perMeVPerDecay(energyMeV e: Double) -> Double {
        Self.unnormalisedShape(energyMeV: e, endpointMeV: endpointMeV, daughterZ: daughterZ, massNumber: massNumber)
            / normalisation
    }

    private static func unnormalisedShape(energyMeV e: Double, endpointMeV: Double, daughterZ: Int, massNumber: Int) -> Double {
        guard e > 0, e < endpointMeV else { return 0 }
        let me = PhysicsConstants.electronMassKeV / PhysicsConstants.keVPerMeV
        // Keep the electron momentum away from 0 at the endpoint (the spectrum is finite there).
        let kinetic = max(endpointMeV - e, 1e-12 * endpointMeV)
        let w = 1 + kinetic / me
        let p = (w * w - 1).squareRoot()
        return p * w * e * e * fermiFunction(daughterZ: daughterZ, massNumber: massNumber, totalEnergy: w)
    }

    /// Point-nucleus relativistic Fermi function F(Z, W) for β⁻ decay (see the type's
    /// documentation), W = total electron energy in units of m_e c².
    public static func fermiFunction(daughterZ z: Int, massNumber a: Int, totalEnergy w: Double) -> Double {
        let alphaZ = PhysicsConstants.fineStructureConstant * Double(z)
        let gamma = (1 - alphaZ * alphaZ).squareRoot()
        let p = (w * w - 1).squareRoot()
        let eta = alphaZ * w / p
        let radius = radiusConstantFm * pow(Double(a), 1.0 / 3.0) / PhysicsConstants.electronComptonWavelengthFm
        let lnGamma = ComplexGamma.logGamma(real: gamma, imaginary: eta).logModulus
        let lnF = log(2 * (1 + gamma)) + (2 * gamma - 2) * log(2 * p * radius)
            + Double.pi * eta + 2 * lnGamma - 2 * lgamma(2 * gamma + 1)
        return exp(lnF)
    }
}

/// ν̄e from neutron capture on ²³⁸U: ²³⁸U(n,γ)²³⁹U, then ²³⁹U →β⁻ ²³⁹Np →β⁻ ²³⁹Pu,
/// two ν̄e per capture (seed Table 1: yield 2.0, 0.6 captures per fission; endpoint
/// "1.3 MeV", Kopeikin et al. 1997 via the seed).
///
/// Each decay is modelled as a single allowed transition with endpoint Q (a simplification:
/// both nuclei decay mostly to excited states, so the true spectra are somewhat softer).
/// Q(²³⁹U) = 1.265 MeV and Q(²³⁹Np) = 0.722 MeV are the values fixed in the project brief
/// (the ENSDF Q(²³⁹U), recalled as ≈ 1.262 MeV, was not re-checked here: a 3 keV shift
/// changes no rate by more than 10⁻⁴).
public struct CaptureChainSpectrum: Sendable {
    public let uranium239: AllowedBetaDecay
    public let neptunium239: AllowedBetaDecay

    /// ν̄e per ²³⁸U capture (seed Table 1).
    public static let neutrinosPerCapture = 2.0
    /// Q(²³⁹U → ²³⁹Np), MeV (project brief; see the type documentation).
    public static let uranium239EndpointMeV = 1.265
    /// Q(²³⁹Np → ²³⁹Pu), MeV (project brief).
    public static let neptunium239EndpointMeV = 0.722
    /// Default captures per fission (seed Table 1: "0.6").
    public static let defaultCapturesPerFission = 0.6

    public init() throws {
        uranium239 = try AllowedBetaDecay(name: "U239", endpointMeV: Self.uranium239EndpointMeV, daughterZ: 93, massNumber: 239)
        neptunium239 = try AllowedBetaDecay(name: "Np239", endpointMeV: Self.neptunium239EndpointMeV, daughterZ: 94, massNumber: 239)
    }

    /// dN/dE in ν̄e per MeV per capture (integral 2).
    public func perMeVPerCapture(energyMeV e: Double) -> Double {
        uranium239.perMeVPerDecay(energyMeV: e) + neptunium239.perMeVPerDecay(energyMeV: e)
    }

    /// Energies (MeV) where the spectrum has a kink or step (the two endpoints).
    public var kinksMeV: [Double] { [neptunium239.endpointMeV, uranium239.endpointMeV] }

    private static let cache: Result<CaptureChainSpectrum, PhysicsError> = {
        do { return .success(try CaptureChainSpectrum()) } catch let error as PhysicsError {
            return .failure(error)
        } catch { return .failure(PhysicsError(.numerical, field: "captureChain", "\(error)")) }
    }()

    /// The shared (cached) chain spectrum.
    public static func standard() throws -> CaptureChainSpectrum { try cache.get() }
}
