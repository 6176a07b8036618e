import XCTest
final class NMMPhysicsTestsPlaceholder: XCTestCase { func testBuilds() { XCTAssertTrue(true) } }
