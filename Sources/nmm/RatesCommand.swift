import ArgumentParser
import Foundation
import NMMStages
import NMMStatistics

struct RatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rates",
        abstract: "Print every sample's differential rate — ν–e SM and MM, coherent ν–N SM and MM (κ = 1 for MM) — at given electron-equivalent energies, and the source's flux.",
        discussion: """
            Energies are what the detector reads: ν–e at electron recoil T = E, coherent ν–N (with a `coherent` \
            section) at E_ee = Y(T_N)·T_N with the config's quenching. A reactor-lines source also lists each \
            line's ν–e rates. Resolution and efficiency are applied by `nmm templates`, not here.
            """)

    @OptionGroup var common: CommonOptions
    @Option(help: "Comma-separated electron-equivalent energies in keV, e.g. 10,50,100.") var energies: String
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
