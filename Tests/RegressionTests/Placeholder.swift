import XCTest
final class RegressionTestsPlaceholder: XCTestCase { func testBuilds() { XCTAssertTrue(true) } }
