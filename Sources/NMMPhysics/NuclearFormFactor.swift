import Foundation

/// Helm nuclear form factor (R. H. Helm, Phys. Rev. 104 (1956) 1466) with the standard
/// parameters of Lewin & Smith, Astropart. Phys. 6 (1996) 87, §4 (physics.md §8):
///
///   F(q) = 3 j₁(q r_n)/(q r_n) · exp(−q² s²/2),  j₁(x) = sin x/x² − cos x/x,
///   r_n² = c² + (7/3) π² a² − 5 s²,  c = 1.23 A^(1/3) − 0.60 fm,  a = 0.52 fm,  s = 0.9 fm,
///
/// with momentum transfer q = √(2 M T_N) (ħ = c = 1; q in fm⁻¹ is that over ħc). F(0) = 1;
/// the first zero is at q r_n = 4.4934… (tan x = x). Applied as F² to both coherent cross
/// sections (seed Eqs. 8 and 9).
public enum HelmFormFactor {
    /// Skin thickness s (fm), Lewin & Smith 1996.
    public static let skinThicknessFm = 0.9
    /// Surface parameter a (fm), Lewin & Smith 1996.
    public static let surfaceParameterFm = 0.52
    /// c = cSlope·A^(1/3) + cOffset (fm), Lewin & Smith 1996 (fit to Fricke et al. muonic-atom radii).
    public static let cSlopeFm = 1.23
    public static let cOffsetFm = -0.60

    /// r_n (fm) for mass number A.
    public static func radiusFm(massNumber a: Double) -> Double {
        let c = cSlopeFm * pow(a, 1.0 / 3.0) + cOffsetFm
        let s = skinThicknessFm, sa = surfaceParameterFm
        return (c * c + 7.0 / 3.0 * Double.pi * Double.pi * sa * sa - 5 * s * s).squareRoot()
    }

    /// q (fm⁻¹) for a nuclear recoil T_N (keV) of a nucleus of mass M (keV): √(2 M T_N)/ħc.
    public static func momentumTransferPerFm(nuclearRecoilKeV t: Double, nucleusMassKeV m: Double) -> Double {
        (2 * m * max(t, 0)).squareRoot() / (PhysicsConstants.hbarCMeVFm * PhysicsConstants.keVPerMeV)
    }

    /// F(q) for q in fm⁻¹ and mass number A.
    public static func formFactor(momentumTransferPerFm q: Double, massNumber a: Double) -> Double {
        sphereAmplitude(q * radiusFm(massNumber: a)) * exp(-0.5 * q * q * skinThicknessFm * skinThicknessFm)
    }

    /// F at nuclear recoil T_N (keV) for a nucleus of mass M (keV) and mass number A.
    public static func formFactor(nuclearRecoilKeV t: Double, nucleusMassKeV m: Double, massNumber a: Double) -> Double {
        formFactor(momentumTransferPerFm: momentumTransferPerFm(nuclearRecoilKeV: t, nucleusMassKeV: m), massNumber: a)
    }

    /// 3 j₁(x)/x, by its Taylor series 1 − x²/10 + x⁴/280 − x⁶/15120 below x = 0.1 (where
    /// the closed form loses digits to cancellation; the next term, x⁸/1330560, is < 10⁻¹⁴).
    static func sphereAmplitude(_ x: Double) -> Double {
        let x2 = x * x
        if abs(x) < 0.1 { return 1 - x2 / 10 + x2 * x2 / 280 - x2 * x2 * x2 / 15120 }
        return 3 * (sin(x) - x * cos(x)) / (x2 * x)
    }
}
