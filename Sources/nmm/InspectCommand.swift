import ArgumentParser
import Foundation
import NMMCore

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Print every header card and every table cell of a FITS file as text (checksums verified).",
        discussion: """
            The dump is deterministic, so two files compare with diff:
              diff <(nmm inspect --stable a/limit.fits) <(nmm inspect --stable b/limit.fits)
            Numbers are printed in their shortest exact form: equal text means equal values bit for bit.
            """)

    @Argument(help: "A FITS file (any nmm stage file, or any FITS file with scalar BINTABLE columns).") var file: String
    @Flag(help: "Leave out the cards that change on every write of the same content (DATE, CHECKSUM, DATASUM).")
    var stable = false
    @Option(help: "Leave out the cards with this keyword (repeatable), e.g. --omit PARENT1.") var omit: [String] = []

    func run() throws {
        var skip = Set(omit.map { $0.uppercased() })
        if stable { skip.formUnion(FITSDump.volatileKeywords) }
        FileHandle.standardOutput.write(Data(try FITSDump.render(path: file, omitting: skip).utf8))
    }
}
