import Foundation
import NMMCore
import NMMStatistics

extension LimitProduct {
    /// KAPLOERR, KAPUPERR, MULIMERR and the adaptive toys' keywords, for those present.
    var monteCarloErrorKeywords: [FITSKeyword] {
        var k: [FITSKeyword] = []
        if let e = kappaLowerError { k.append(FITSKeyword("KAPLOERR", .double(e), "[1e-20 mu_B^2] toy MC error of KAPLO")) }
        if let e = kappaUpperError { k.append(FITSKeyword("KAPUPERR", .double(e), "[1e-20 mu_B^2] toy MC error of KAPUP")) }
        if let e = muLimitErrorBohr { k.append(FITSKeyword("MULIMERR", .double(e), "[mu_B] toy MC error of MULIMIT")) }
        if let a = adaptiveToys {
            k += [
                FITSKeyword("MCTARGET", .double(a.settings.targetRelativeError), "adaptive toys: target KAPUPERR/KAPUP"),
                FITSKeyword("MCMAXTOY", .int(a.settings.maxToysPerPoint), "adaptive toys: cap per grid point"),
                FITSKeyword("MCTGTMET", .bool(a.targetMet), "adaptive toys: the target was met"),
                FITSKeyword("MCROUNDS", .int(a.rounds), "adaptive toys: rounds of added toys"),
            ]
        }
        return k
    }
}

extension MagneticMomentUnits {
    /// A value with its error in one exponent, the error to one significant digit (two when its
    /// leading digit is 1, as the PDG rounds) and the value to the same decimal place, at least
    /// one decimal: 1.534e-10 ± 0.012e-10, 1.53e-10 ± 0.04e-10. nil when the error is not
    /// positive and finite or the value not positive and finite.
    public static func format(_ x: Double, error e: Double) -> String? {
        guard x.isFinite, x > 0, e.isFinite, e > 0 else { return nil }
        var exponent = Int(floor(log10(x)))
        for _ in 0..<2 {   // once more if the mantissa rounds up to 10
            let scale = pow(10, Double(exponent)), m = x / scale, em = e / scale
            let leading = Int(floor(log10(em)))
            let leadingDigit = Int((em / pow(10, Double(leading))).rounded(.down))
            let decimals = min(max(-leading + (leadingDigit == 1 ? 1 : 0), 1), 6)
            let mantissa = String(format: "%.\(decimals)f", m)
            if mantissa.hasPrefix("10") { exponent += 1; continue }
            return "\(mantissa)e\(exponent) ± \(String(format: "%.\(decimals)f", em))e\(exponent)"
        }
        return nil
    }
}
