import Foundation

/// How tick values are written.
public enum TickFormat: String, Sendable, Equatable {
    /// Decimals for moderate values, ×10ⁿ for very large or small ones.
    case auto
    /// Fixed decimals, as many as the step needs (e.g. 0.5, 1, 1.5).
    case decimal
    /// C-style exponent, e.g. 1e-10, 2.5e-10.
    case scientific
    /// Powers of ten, e.g. 10⁻¹⁰, 2.5×10⁻¹⁰.
    case timesTen
}

/// Tick labels. Negative numbers use the typographic minus sign (U+2212), except in the
/// ASCII `scientific` form.
public enum TickFormatter {
    static let minus = "\u{2212}"

    /// Labels for evenly spaced linear ticks with spacing `step`.
    public static func labels(_ values: [Double], step: Double, format: TickFormat) -> [String] {
        let maxAbs = values.map(abs).max() ?? 0
        var f = format
        if f == .auto { f = (maxAbs >= 1e5 || (maxAbs > 0 && maxAbs < 1e-3)) ? .timesTen : .decimal }
        let stepExp = Int(floor(log10(step) + 1e-9))
        switch f {
        case .decimal, .auto:
            let d = max(0, -stepExp)
            return values.map { decimal($0, decimals: d) }
        case .scientific, .timesTen:
            return values.map { power($0, mantissaDecimals: { max(0, $0 - stepExp) }, style: f) }
        }
    }

    /// Labels for log-axis ticks (1, 2 or 5 × 10ⁿ).
    public static func logLabels(_ values: [Double], format: TickFormat) -> [String] {
        var f = format
        if f == .auto {
            let inRange = values.allSatisfy { $0 >= 1e-3 * (1 - 1e-9) && $0 <= 1e4 * (1 + 1e-9) }
            f = inRange ? .decimal : .timesTen
        }
        switch f {
        case .decimal, .auto:
            return values.map { v in decimal(v, decimals: max(0, -Int(floor(log10(v) + 1e-9)))) }
        case .scientific, .timesTen:
            return values.map { power($0, mantissaDecimals: { _ in 0 }, style: f) }
        }
    }

    /// `v` with `decimals` digits after the point and a typographic minus.
    public static func decimal(_ v: Double, decimals: Int, trimZeros: Bool = true) -> String {
        let s = SVGText.fixed(v, decimals: decimals, trimZeros: trimZeros)
        return s.hasPrefix("-") ? minus + s.dropFirst() : s
    }

    /// `v` as m×10ⁿ with `significantDigits` digits in m (1.3×10⁻¹⁰, 1.0×10⁻¹⁰); with
    /// `trimZeros`, trailing zeros of m are dropped (6.4×10¹² rather than 6.400×10¹²).
    public static func timesTen(_ v: Double, significantDigits: Int = 2, trimZeros: Bool = false) -> String {
        power(v, mantissaDecimals: { _ in max(0, significantDigits - 1) }, style: .timesTen, trimZeros: trimZeros)
    }

    /// `v` as C-style exponent with `significantDigits` digits in the mantissa (1.3e-10).
    public static func scientific(_ v: Double, significantDigits: Int = 2) -> String {
        power(v, mantissaDecimals: { _ in max(0, significantDigits - 1) }, style: .scientific)
    }

    /// m × 10^p. `mantissaDecimals` gets p and returns how many mantissa decimals to keep.
    static func power(_ v: Double, mantissaDecimals: (Int) -> Int, style: TickFormat, trimZeros: Bool = false) -> String {
        guard v != 0, v.isFinite else { return "0" }
        var p = Int(floor(log10(abs(v)) + 1e-9))
        let d = mantissaDecimals(p)
        var m = abs(v) / pow(10, Double(p))
        let scale = pow(10, Double(d))
        m = (m * scale).rounded() / scale
        if m >= 10 { m /= 10; p += 1 }
        let mantissa = SVGText.fixed(m, decimals: d, trimZeros: trimZeros)   // 1.0e-10 keeps its digits
        switch style {
        case .scientific:
            return (v < 0 ? "-" : "") + mantissa + "e" + String(p)
        default:
            let sign = v < 0 ? minus : ""
            return sign + (mantissa == "1" ? "" : mantissa + "×") + "10" + SVGText.superscript(p)
        }
    }
}
