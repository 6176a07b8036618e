import XCTest
final class NMMCoreTestsPlaceholder: XCTestCase { func testBuilds() { XCTAssertTrue(true) } }
