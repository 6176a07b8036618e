/// Every physical constant NMMPhysics uses, each with its source. Derived prefactors are
/// computed from these (never typed in) and checked in the tests against physics.md §2.
public enum PhysicsConstants {
    // MARK: Fundamental constants

    /// Fine-structure constant α = 1/137.035999084 (CODATA 2018).
    public static let fineStructureConstant = 1.0 / 137.035999084
    /// Electron mass m_e c² = 0.51099895000 MeV (CODATA 2018), here in keV.
    public static let electronMassKeV = 510.99895000
    /// Fermi constant G_F/(ħc)³ = 1.1663787×10⁻⁵ GeV⁻² (PDG 2022, muon lifetime).
    public static let fermiConstantPerGeV2 = 1.1663787e-5
    /// ħc = 197.3269804 MeV fm (CODATA 2018).
    public static let hbarCMeVFm = 197.3269804
    /// ħ = 6.582119569×10⁻¹⁶ eV s (CODATA 2018).
    public static let hbarEVSeconds = 6.582119569e-16
    /// Avogadro constant N_A = 6.02214076×10²³ mol⁻¹ (SI 2019, exact).
    public static let avogadroPerMol = 6.02214076e23
    /// 1 MeV = 1.602176634×10⁻¹³ J (SI 2019, exact: e = 1.602176634×10⁻¹⁹ C).
    public static let joulePerMeV = 1.602176634e-13
    /// Atomic mass constant m_u c² = 931.49410242 MeV (CODATA 2018), here in keV.
    public static let atomicMassUnitKeV = 931_494.10242
    /// W boson mass M_W = 80.377 ± 0.012 GeV (PDG 2022 world average).
    public static let wBosonMassGeV = 80.377
    /// Weak mixing angle sin²θ_W = 0.23122 (PDG 2020, MS-bar at M_Z), used at tree level
    /// as physics.md §2 prescribes; a low-Q² effective value ≈ 0.2387 raises SM rates ≈ 2.5 %.
    public static let sin2ThetaWDefault = 0.23122

    // MARK: Unit conversions (exact by definition)

    /// Seconds per day (86 400 s, exact).
    public static let secondsPerDay = 86_400.0
    /// Seconds per hour (3 600 s, exact).
    public static let secondsPerHour = 3_600.0
    /// keV per MeV and per GeV (exact).
    public static let keVPerMeV = 1.0e3
    public static let keVPerGeV = 1.0e6
    /// Centimetres per femtometre and per metre (exact).
    public static let cmPerFm = 1.0e-13
    public static let cmPerM = 1.0e2
    /// Grams per kilogram (exact).
    public static let gramsPerKg = 1.0e3
    /// Watts per megawatt (exact).
    public static let wattsPerMW = 1.0e6

    // MARK: Derived quantities (computed from the constants above)

    /// ħc in keV·cm: 197.3269804 MeV fm × 10³ keV/MeV × 10⁻¹³ cm/fm.
    public static let hbarCKeVCm = hbarCMeVFm * keVPerMeV * cmPerFm
    /// ħc in GeV·cm.
    public static let hbarCGeVCm = hbarCKeVCm / keVPerGeV
    /// G_F in keV⁻² (natural units).
    public static let fermiConstantPerKeV2 = fermiConstantPerGeV2 / (keVPerGeV * keVPerGeV)
    /// Reduced Compton wavelength of the electron ħ/(m_e c) in fm (natural length unit of
    /// the Fermi function).
    public static let electronComptonWavelengthFm = hbarCMeVFm / (electronMassKeV / keVPerMeV)

    /// G_F² m_e / 2π in cm²/keV, the prefactor of seed Eq. 4 (physics.md §2: 4.3082×10⁻⁴⁸).
    public static let weakElectronPrefactorCm2PerKeV =
        fermiConstantPerKeV2 * fermiConstantPerKeV2 * electronMassKeV / (2 * Double.pi)
        * hbarCKeVCm * hbarCKeVCm
    /// π α² / m_e² in cm², the prefactor of seed Eqs. 6 and 9 with μ_ν in Bohr magnetons
    /// (physics.md §2: 2.4947×10⁻²⁵ cm²).
    public static let magneticPrefactorCm2 =
        Double.pi * fineStructureConstant * fineStructureConstant
        * (hbarCKeVCm / electronMassKeV) * (hbarCKeVCm / electronMassKeV)
    /// μ_ν² for κ = 1: (10⁻¹⁰ μ_B)² = 10⁻²⁰ μ_B² (physics.md §1).
    public static let kappaUnitMuNu2 = 1.0e-20
    /// μ_ν = 10⁻¹⁰ μ_B, the reference moment for the MM templates.
    public static let referenceMuNuBohr = 1.0e-10
}
