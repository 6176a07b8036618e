import NMMCore
import XCTest

/// GSL Brent through `RootFinder`: the Dottie number (cos x = x, 0.7390851332151607, OEIS A003957)
/// and the errors for a bracket that holds no sign change or a non-finite value.
final class RootFinderTests: XCTestCase {
    func testBrentFindsTheRootAndRefusesBadBrackets() throws {
        let x = try RootFinder(relativeTolerance: 1e-14).root(in: 0, 1) { cos($0) - $0 }
        XCTAssertEqual(x, 0.7390851332151607, accuracy: 1e-13)
        XCTAssertThrowsError(try RootFinder().root(in: 2, 3) { $0 * $0 + 1 })
        XCTAssertThrowsError(try RootFinder().root(in: 0, 1) { $0 < 0.5 ? .nan : 1 })
        XCTAssertThrowsError(try RootFinder().root(in: -1, 1) { $0 > -0.9 && $0 < 0.9 ? .nan : $0 }, "not finite inside the bracket")
    }
}
