import ArgumentParser
import NMMStages
import NMMStatistics

struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Generate fixture inputs from the config's simulation section: ON/OFF spectra (seeded Poisson draw or Asimov), or an event list and a reactor log.",
        discussion: """
            Spectra (--on, --off): ON = background + SM + κ_true·MM, OFF = background, using the same physics as `nmm templates`. The file extension (.fits or .csv) selects the format.
            Event list (--events, --reactor-log; needs simulation.events): EVENTS (TIME [s], ENERGY [keV]) + GTI FITS file and a reactor log (CSV, or FITS for a .fits name); events arrive at background + (P/P_nom)·(SM + κ_true·MM) per live time through the reactor periods. The seed (simulation.seed) is written into both.
            """)

    @OptionGroup var common: CommonOptions
    @Option(help: "Output ON spectrum (.fits or .csv).") var on: String?
    @Option(help: "Output OFF spectrum (.fits or .csv).") var off: String?
    @Flag(help: "Write the expected counts (Asimov data set) instead of a Poisson draw (spectra only).") var asimov = false
    @Option(help: "Output event list (FITS: EVENTS + GTI), with --reactor-log.") var events: String?
    @Option(help: "Output reactor operation log (.csv or .fits), with --events.") var reactorLog: String?

    func validate() throws {
        let pair = on != nil || off != nil, list = events != nil || reactorLog != nil
        guard pair != list else { throw ValidationError("give either --on and --off, or --events and --reactor-log") }
        if pair, on == nil || off == nil { throw ValidationError("--on and --off go together") }
        if list, events == nil || reactorLog == nil { throw ValidationError("--events and --reactor-log go together") }
        if list, asimov { throw ValidationError("--asimov applies to spectra; an event list is always a draw") }
    }

    func run() throws {
        let (pipeline, _) = try common.pipeline()
        if let events, let reactorLog {
            _ = try pipeline.simulateEvents(eventsOutput: events, logOutput: reactorLog)
        } else if let on, let off {
            _ = try pipeline.simulate(onOutput: on, offOutput: off, asimov: asimov)
        }
    }
}
