import NMMCore

extension FitResult {
    /// The model point of this fit: fitted values, and the nominal value (κ 0, normalisations 1,
    /// background terms 0) for every parameter the fit held.
    var modelPoint: ModelPoint {
        ModelPoint(kappa: value(of: .kappa) ?? 0, smNorm: value(of: .smNorm) ?? 1, fluxNorm: value(of: .fluxNorm) ?? 1,
                   bg0: value(of: .backgroundConstant) ?? 0, bg1: value(of: .backgroundSlope) ?? 0)
    }

    /// The fitted residual rate f·(a·SM + κ·MM) + c0 + c1·(E − E_ref) in counts/(kg·keV·day) on
    /// any bins (e.g. every template bin, masked ones included), through the model's own formula.
    /// `referenceEnergyKeV`: E_ref of the fitted bins (`FitInput.referenceEnergyKeV`).
    public func residualRate(smRate: [Double], mmRate: [Double], binCentreKeV: [Double],
                             referenceEnergyKeV: Double) -> [Double] {
        let p = modelPoint
        return smRate.indices.map {
            FitModel.residualRate(sm: smRate[$0], mm: mmRate[$0], dE: binCentreKeV[$0] - referenceEnergyKeV, p)
        }
    }
}
