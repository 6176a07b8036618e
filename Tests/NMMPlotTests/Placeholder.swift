import XCTest
final class NMMPlotPlaceholder: XCTestCase { func testBuilds() { XCTAssertTrue(true) } }
