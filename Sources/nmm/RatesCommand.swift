import ArgumentParser
import Foundation
import NMMStages
import NMMStatistics

struct RatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rates",
        abstract: "Print SM and magnetic-moment (κ = 1) differential rates at given recoil energies, and the total flux.")

    @OptionGroup var common: CommonOptions
    @Option(help: "Comma-separated electron recoil energies in keV, e.g. 10,50,100.") var energies: String
    @Flag(help: "Print one JSON object on stdout instead of a table.") var json = false

    func parsedEnergies() throws -> [Double] {
        try energies.split(separator: ",").map {
            guard let v = Double($0.trimmingCharacters(in: .whitespaces)), v > 0 else {
                throw ValidationError("--energies: expected positive numbers in keV separated by commas, found '\($0)'")
            }
            return v
        }
    }

    func validate() throws { _ = try parsedEnergies() }

    func run() throws {
        _ = common.makeLogger()
        let table = try RatesTable(config: try common.loadConfig(), energiesKeV: try parsedEnergies())
        print(json ? table.json : table.text, terminator: json ? "\n" : "")
    }
}
