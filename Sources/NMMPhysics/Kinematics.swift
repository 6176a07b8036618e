/// Exact two-body kinematics of ν scattering on a target at rest (energies in keV).
/// For a target of mass M: T_max(E) = 2E² / (M + 2E) and its inverse
/// E_min(T) = (T + √(T² + 2MT)) / 2 (physics.md §1).
public enum Kinematics {
    /// Largest recoil energy of an electron hit by a neutrino of energy E (keV).
    public static func maxElectronRecoilKeV(neutrinoEnergyKeV e: Double) -> Double {
        maxRecoilKeV(neutrinoEnergyKeV: e, targetMassKeV: PhysicsConstants.electronMassKeV)
    }

    /// Smallest neutrino energy that can give an electron recoil T (keV).
    public static func minNeutrinoEnergyKeV(electronRecoilKeV t: Double) -> Double {
        minNeutrinoEnergyKeV(recoilKeV: t, targetMassKeV: PhysicsConstants.electronMassKeV)
    }

    /// Largest recoil energy of a nucleus of mass M (keV).
    public static func maxNuclearRecoilKeV(neutrinoEnergyKeV e: Double, nucleusMassKeV m: Double) -> Double {
        maxRecoilKeV(neutrinoEnergyKeV: e, targetMassKeV: m)
    }

    /// Smallest neutrino energy that can give a nuclear recoil T_N (keV).
    public static func minNeutrinoEnergyForNuclearRecoilKeV(nuclearRecoilKeV t: Double, nucleusMassKeV m: Double) -> Double {
        minNeutrinoEnergyKeV(recoilKeV: t, targetMassKeV: m)
    }

    /// T_max = 2E² / (M + 2E) for a target of mass M.
    public static func maxRecoilKeV(neutrinoEnergyKeV e: Double, targetMassKeV m: Double) -> Double {
        guard e > 0 else { return 0 }
        return 2 * e * e / (m + 2 * e)
    }

    /// E_min = (T + √(T² + 2MT)) / 2 for a target of mass M.
    public static func minNeutrinoEnergyKeV(recoilKeV t: Double, targetMassKeV m: Double) -> Double {
        guard t > 0 else { return 0 }
        return (t + (t * t + 2 * m * t).squareRoot()) / 2
    }
}
