import XCTest
@testable import NMMPhysics

/// |actual − expected| ≤ tolerance × |expected|.
func assertRelative(_ actual: Double, _ expected: Double, _ tolerance: Double, _ message: String = "",
                    file: StaticString = #filePath, line: UInt = #line) {
    let deviation = abs(actual - expected) / abs(expected)
    XCTAssertLessThanOrEqual(deviation, tolerance,
                             "\(message) got \(actual), expected \(expected) (relative deviation \(deviation))",
                             file: file, line: line)
}

enum Fixtures {
    /// Seed Table 1 fission fractions (0.49, 0.07, 0.36, 0.08).
    static let table1Fractions = FissionIsotope.typicalFissionFractions

    /// A source of total flux φ with the Table 1 composition and 0.6 captures per fission.
    static func source(flux: Double) throws -> ReactorSource {
        try ReactorSource(totalFluxPerCm2PerS: flux, fissionFractions: table1Fractions, capturesPerFission: 0.6)
    }

    /// Ge, free electrons, φ = 6.4×10¹² (physics.md §5 check configuration).
    static func germaniumModel(flux: Double = 6.4e12, bindingStep: Bool = false,
                               response: DetectorResponse? = nil) throws -> RateModel {
        try RateModel(source: source(flux: flux), target: .germanium, bindingStep: bindingStep, response: response)
    }
}
