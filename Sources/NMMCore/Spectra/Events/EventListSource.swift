/// ON/OFF spectra from an event list and a reactor operation log (config `inputs: {kind: events}`).
///
/// Live time = GTI ∩ reactor state (`ReactorStateSelection`) ∩ `timeRangeMJD`, times
/// (1 − dead-time fraction). Each event inside the ON (OFF) live time is counted in its
/// energy bin (`EnergyBinning`); the power history over the ON live time gives the mean power
/// and FLUXSCAL (`EventSelectionSummary`). One call gives one ON/OFF pair: a data period is a
/// config with its own `timeRangeMJD`.
public struct EventListSource: SpectrumSource, Equatable {
    public var eventsPath: String
    public var reactorLogPath: String
    public var nominalPowerMW: Double
    public var onPowerFraction: Double
    public var offPowerFraction: Double
    public var transitionMarginHours: Double
    /// nil: the EVENTS header's DEADC (as 1 − DEADC), else 0.
    public var deadTimeFraction: Double?
    public var binningKeV: [Double]
    public var phaCalibrationKeV: [Double]?
    public var timeRangeMJD: [Double]?
    public var massKg: Double

    /// The config's inputs (validated: kind events).
    public init(config: AnalysisConfig) {
        let i = config.inputs
        eventsPath = config.eventsPath
        reactorLogPath = config.reactorLogPath
        nominalPowerMW = config.nominalPowerMW ?? 0
        onPowerFraction = i.onPowerFraction ?? 0
        offPowerFraction = i.offPowerFraction ?? 0
        transitionMarginHours = i.transitionMarginHours ?? 0
        deadTimeFraction = i.deadTimeFraction
        binningKeV = i.binningKeV ?? []
        phaCalibrationKeV = i.phaCalibrationKeV
        timeRangeMJD = i.timeRangeMJD
        massKg = config.inputMassKg
    }

    public var inputFiles: [String] { [eventsPath, reactorLogPath] }

    public func spectra() throws -> (on: RawSpectrum, off: RawSpectrum) {
        let input = try read()
        return (input.on, input.off)
    }

    public func read() throws -> IngestInput {
        let events = try EventListReader.read(eventsPath, phaCalibrationKeV: phaCalibrationKeV)
        let log = try ReactorLogReader.read(reactorLogPath).converted(to: events.frame, eventFile: eventsPath)
        let gtis = try goodTime(events, log: log)
        let selection = ReactorStateSelection(log: log, nominalPowerMW: nominalPowerMW, onFraction: onPowerFraction,
                                              offFraction: offPowerFraction, marginS: transitionMarginHours * TimeFrame.secondsPerHour)
        let on = try live(selection.on, gtis, state: "ON", rule: "power ≥ \(onPowerFraction) × \(nominalPowerMW) MW")
        let off = try live(selection.off, gtis, state: "OFF", rule: "power ≤ \(offPowerFraction) × \(nominalPowerMW) MW")
        let dead = deadTimeFraction ?? (1 - (events.deadTimeCorrection ?? 1))
        let binning = EnergyBinning(binningKeV)
        var onCounts = [Double](repeating: 0, count: binning.binCount), offCounts = onCounts
        var n = (on: 0, off: 0, onBinned: 0, offBinned: 0)
        let onSpans = on.map(\.span), offSpans = off.map(\.span)
        for (t, e) in zip(events.timesS, events.energiesKeV) {
            if TimeSpans.index(of: t, in: onSpans) != nil {
                n.on += 1
                if let b = binning.bin(of: e) { onCounts[b] += 1; n.onBinned += 1 }
            } else if TimeSpans.index(of: t, in: offSpans) != nil {
                n.off += 1
                if let b = binning.bin(of: e) { offCounts[b] += 1; n.offBinned += 1 }
            }
        }
        let onTimeS = TimeSpans.totalS(onSpans), offTimeS = TimeSpans.totalS(offSpans)
        func spectrum(_ counts: [Double], _ timeS: Double) -> RawSpectrum {
            RawSpectrum(energyLowKeV: binning.lowEdgesKeV, energyHighKeV: binning.highEdgesKeV, counts: counts,
                        liveTimeDays: timeS * (1 - dead) / TimeFrame.secondsPerDay, massKg: massKg, sourceFile: eventsPath)
        }
        let summary = EventSelectionSummary(
            nominalPowerMW: nominalPowerMW, onPowerFraction: onPowerFraction, offPowerFraction: offPowerFraction,
            transitionMarginHours: transitionMarginHours, deadTimeFraction: dead,
            onTimeDays: onTimeS / TimeFrame.secondsPerDay, offTimeDays: offTimeS / TimeFrame.secondsPerDay,
            onMeanPowerMW: Self.meanPower(on), offMeanPowerMW: Self.meanPower(off),
            onEvents: n.on, offEvents: n.off, onEventsBinned: n.onBinned, offEventsBinned: n.offBinned,
            onFissionFractions: Self.fissionWeightedFractions(on))
        return IngestInput(on: spectrum(onCounts, onTimeS), off: spectrum(offCounts, offTimeS), eventSelection: summary)
    }

    /// The GTIs inside `timeRangeMJD`; every one must lie within the reactor log.
    func goodTime(_ events: EventList, log: ReactorLog) throws -> [TimeSpan] {
        var gtis = events.gtis
        if let r = timeRangeMJD {
            let window = TimeSpan(startS: events.frame.seconds(fromMJD: r[0]), stopS: events.frame.seconds(fromMJD: r[1]))
            gtis = TimeSpans.intersection(gtis, [window])
            guard !gtis.isEmpty else {
                throw InputError(file: eventsPath, field: "GTI",
                                 "no good time inside inputs.timeRangeMJD [\(r[0]), \(r[1])]; expected a range overlapping the GTIs")
            }
        }
        let span = log.span, mjd = events.frame.mjd(ofSeconds:)
        if let outside = gtis.first(where: { $0.startS < span.startS || $0.stopS > span.stopS }) {
            throw InputError(file: reactorLogPath, field: "START/STOP",
                             "the log covers MJD \(mjd(span.startS))–\(mjd(span.stopS)) but \(eventsPath) has good time at MJD \(mjd(outside.startS))–\(mjd(outside.stopS)); expected a log covering every GTI (or a narrower inputs.timeRangeMJD)")
        }
        return gtis
    }

    /// The selected pieces inside the GTIs; refuses a state with no time at all.
    func live(_ pieces: [ReactorStateSelection.Piece], _ gtis: [TimeSpan], state: String, rule: String) throws -> [ReactorStateSelection.Piece] {
        let cut = TimeSpans.indexedIntersection(pieces.map(\.span), gtis).map {
            ReactorStateSelection.Piece(span: $0.span, powerMW: pieces[$0.indexInA].powerMW, fissionFractions: pieces[$0.indexInA].fissionFractions)
        }
        guard !cut.isEmpty else {
            throw InputError(file: eventsPath, field: "GTI",
                             "no \(state) live time: no good time where \(reactorLogPath) has \(rule) (after the \(transitionMarginHours) h transition margins); expected some")
        }
        return cut
    }

    /// Σ P·Δt / Σ Δt.
    static func meanPower(_ pieces: [ReactorStateSelection.Piece]) -> Double {
        let t = pieces.reduce(0) { $0 + $1.span.lengthS }
        return pieces.reduce(0) { $0 + $1.powerMW * $1.span.lengthS } / t
    }

    /// Σ f·P·Δt / Σ P·Δt per isotope (fissions ∝ thermal power), when every piece has fractions.
    static func fissionWeightedFractions(_ pieces: [ReactorStateSelection.Piece]) -> [String: Double]? {
        let weights = pieces.map { $0.powerMW * $0.span.lengthS }
        let total = weights.reduce(0, +)
        guard total > 0, pieces.allSatisfy({ $0.fissionFractions != nil }) else { return nil }
        return Dictionary(uniqueKeysWithValues: ReactorLog.isotopes.map { isotope in
            (isotope, zip(pieces, weights).reduce(0) { $0 + ($1.0.fissionFractions![isotope] ?? 0) * $1.1 } / total)
        })
    }
}
