/// Checks of the `inputs` section for each input kind (README, Inputs), the values each kind
/// reads with their defaults, and the section as ingest sees it (`effectiveInputs`, whose
/// SHA-256 is the section hash recorded in spectra.fits).
extension AnalysisConfig {
    public var inputKind: InputKind { inputs.kind ?? .pair }

    /// The keys each kind reads; any other key of `inputs` is an error naming the kind.
    static func inputKeys(_ kind: InputKind) -> Set<String> {
        switch kind {
        case .pair: ["kind", "on", "off", "offExposureFactor"]
        case .ogip: ["kind", "on", "off", "massKg"]
        case .events:
            ["kind", "events", "reactorLog", "nominalPowerMW", "onPowerFraction", "offPowerFraction",
             "transitionMarginHours", "deadTimeFraction", "binningKeV", "phaCalibrationKeV", "timeRangeMJD", "massKg"]
        }
    }

    /// The keys given in `inputs`, in schema order.
    var givenInputKeys: [String] {
        let i = inputs
        let given: [(String, Bool)] = [
            ("kind", i.kind != nil), ("on", i.on != nil), ("off", i.off != nil),
            ("offExposureFactor", i.offExposureFactor != nil), ("events", i.events != nil),
            ("reactorLog", i.reactorLog != nil), ("nominalPowerMW", i.nominalPowerMW != nil),
            ("onPowerFraction", i.onPowerFraction != nil), ("offPowerFraction", i.offPowerFraction != nil),
            ("transitionMarginHours", i.transitionMarginHours != nil), ("deadTimeFraction", i.deadTimeFraction != nil),
            ("binningKeV", i.binningKeV != nil), ("phaCalibrationKeV", i.phaCalibrationKeV != nil),
            ("timeRangeMJD", i.timeRangeMJD != nil), ("massKg", i.massKg != nil),
        ]
        return given.filter(\.1).map(\.0)
    }

    func validateInputs() throws {
        let kind = inputKind
        for key in givenInputKeys where !Self.inputKeys(kind).contains(key) {
            let owners = InputKind.allCases.filter { Self.inputKeys($0).contains(key) }.map(\.rawValue)
            throw fail("inputs.\(key)", "not read by inputs of kind \(kind.rawValue); expected only with kind \(owners.joined(separator: " or "))")
        }
        func require(_ key: String, _ value: Any?) throws {
            if value == nil { throw fail("inputs.\(key)", "required key is missing (inputs of kind \(kind.rawValue))") }
        }
        func positive(_ key: String, _ value: Double?) throws {
            if let v = value, !(v.isFinite && v > 0) { throw fail("inputs.\(key)", "expected a value > 0, found \(v)") }
        }
        switch kind {
        case .pair:
            try require("on", inputs.on)
            try require("off", inputs.off)
            if let e = inputs.offExposureFactor, !(e.isFinite && e > 0) {
                throw fail("inputs.offExposureFactor", "expected a factor > 0, found \(e)")
            }
        case .ogip:
            try require("on", inputs.on)
            try positive("massKg", inputs.massKg)
        case .events:
            try validateEventInputs(require: require, positive: positive)
        }
    }

    private func validateEventInputs(require: (String, Any?) throws -> Void, positive: (String, Double?) throws -> Void) throws {
        try require("events", inputs.events)
        try require("reactorLog", inputs.reactorLog)
        try require("onPowerFraction", inputs.onPowerFraction)
        try require("offPowerFraction", inputs.offPowerFraction)
        try require("binningKeV", inputs.binningKeV)
        try positive("massKg", inputs.massKg)
        try positive("nominalPowerMW", inputs.nominalPowerMW)
        if inputs.nominalPowerMW == nil, reactor?.thermalPowerMW == nil {
            throw fail("inputs.nominalPowerMW", "required when reactor.thermalPowerMW is not given (the power fractions refer to it)")
        }
        let on = inputs.onPowerFraction!, off = inputs.offPowerFraction!
        guard off.isFinite, off >= 0, off < 1 else {
            throw fail("inputs.offPowerFraction", "expected a fraction in [0, 1), found \(off)")
        }
        guard on.isFinite, on > off else {
            throw fail("inputs.onPowerFraction", "expected a fraction > offPowerFraction (\(off)), found \(on)")
        }
        if let m = inputs.transitionMarginHours, !(m.isFinite && m >= 0) {
            throw fail("inputs.transitionMarginHours", "expected a margin ≥ 0 h, found \(m)")
        }
        if let d = inputs.deadTimeFraction, !(d.isFinite && d >= 0 && d < 1) {
            throw fail("inputs.deadTimeFraction", "expected a fraction in [0, 1), found \(d)")
        }
        let b = inputs.binningKeV!
        guard b.count == 3, b.allSatisfy(\.isFinite), b[0] >= 0, b[1] > b[0], b[2] > 0 else {
            throw fail("inputs.binningKeV", "expected [lowKeV, highKeV, widthKeV] with 0 ≤ low < high and width > 0, found \(b)")
        }
        let n = (b[1] - b[0]) / b[2]
        guard n <= Self.maxSimulatedBins, abs(n - n.rounded()) < 1e-6 * max(1, n), n.rounded() >= 1 else {
            throw fail("inputs.binningKeV", "expected (high − low)/width to be a whole number of bins (at most \(Int(Self.maxSimulatedBins))), found \(n)")
        }
        if let c = inputs.phaCalibrationKeV, !(c.count == 2 && c.allSatisfy(\.isFinite) && c[1] > 0) {
            throw fail("inputs.phaCalibrationKeV", "expected [offsetKeV, keVPerChannel > 0], found \(c)")
        }
        if let r = inputs.timeRangeMJD, !(r.count == 2 && r.allSatisfy(\.isFinite) && r[1] > r[0]) {
            throw fail("inputs.timeRangeMJD", "expected [startMJD, stopMJD] with start < stop, found \(r)")
        }
    }

    func validateEventSimulation() throws {
        guard let ev = simulation?.events else { return }
        guard ev.mjdRef.isFinite, ev.mjdRef >= 0 else {
            throw fail("simulation.events.mjdRef", "expected an MJD ≥ 0, found \(ev.mjdRef)")
        }
        guard !ev.reactorPeriodsHours.isEmpty else {
            throw fail("simulation.events.reactorPeriodsHours", "expected at least one [hours, powerFraction] period")
        }
        let width = ev.reactorPeriodsHours[0].count
        for (i, p) in ev.reactorPeriodsHours.enumerated() {
            let sum = p.count == 6 ? p[2...].reduce(0, +) : 1
            let fractionsOK = p.count != 6 || (p[2...].allSatisfy { $0 >= 0 } && (abs(sum - 1) < 1e-3 || (p[1] == 0 && sum == 0)))
            guard p.count == width, [2, 6].contains(p.count), p.allSatisfy(\.isFinite), p[0] > 0, p[1] >= 0, fractionsOK else {
                throw fail("simulation.events.reactorPeriodsHours[\(i)]",
                           "expected [hours > 0, powerFraction ≥ 0] or [hours, powerFraction, U235, U238, Pu239, Pu241] (fractions summing to 1, or all 0 at zero power), the same form on every row, found \(p)")
            }
        }
        guard reactor?.thermalPowerMW != nil else {
            throw fail("simulation.events", "needs reactor.thermalPowerMW (the power fractions refer to it)")
        }
        let span = ev.reactorPeriodsHours.reduce(0) { $0 + $1[0] }
        var last = 0.0
        for (i, g) in (ev.dataGapsHours ?? []).enumerated() {
            guard g.count == 2, g.allSatisfy(\.isFinite), g[0] >= last, g[1] > g[0], g[1] <= span else {
                throw fail("simulation.events.dataGapsHours[\(i)]",
                           "expected [startHours, stopHours] in increasing order, not overlapping, within the \(span) h of the periods, found \(g)")
            }
            last = g[1]
        }
        if let d = ev.deadTimeFraction, !(d.isFinite && d >= 0 && d < 1) {
            throw fail("simulation.events.deadTimeFraction", "expected a fraction in [0, 1), found \(d)")
        }
    }

    /// The `inputs` section as ingest reads it: kind `pair` is the default (so writing it or
    /// not is the same content), and the values events and ogip inputs take from other
    /// sections when not given (nominal power from reactor.thermalPowerMW, mass from
    /// detector.massKg) are filled in, so changing those reruns ingest. For the pair kind
    /// this is `inputs` unchanged, and so is its hash.
    public var effectiveInputs: InputsConfig {
        var e = inputs
        switch inputKind {
        case .pair:
            e.kind = nil
        case .ogip:
            e.massKg = inputMassKg
        case .events:
            e.massKg = inputMassKg
            e.nominalPowerMW = nominalPowerMW
        }
        return e
    }

    /// events, ogip: the detector mass of the spectra (inputs.massKg, else detector.massKg).
    public var inputMassKg: Double { inputs.massKg ?? detector.massKg }
    /// events: the power the fractions refer to (inputs.nominalPowerMW, else reactor.thermalPowerMW).
    public var nominalPowerMW: Double? { inputs.nominalPowerMW ?? reactor?.thermalPowerMW }
    public var eventsPath: String { resolve(inputs.events ?? "") }
    public var reactorLogPath: String { resolve(inputs.reactorLog ?? "") }
}
