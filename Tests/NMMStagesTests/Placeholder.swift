import XCTest
final class NMMStagesTestsPlaceholder: XCTestCase { func testBuilds() { XCTAssertTrue(true) } }
