/// What an event-list ingest selected, written into spectra.fits (README, Typed stage files):
/// the reactor-state settings, the ON and OFF times before the dead-time correction, the
/// power history over the ON and OFF live time, and the event counts.
///
/// FLUXSCAL = ONPOWER / NOMPOWER is the ratio of the mean ν̄ flux during the ON live time to
/// the flux at the nominal power (the flux scales with the thermal power, i.e. the fission
/// rate); the templates stage multiplies its ON flux by it.
public struct EventSelectionSummary: Equatable, Sendable {
    public var nominalPowerMW: Double
    public var onPowerFraction: Double
    public var offPowerFraction: Double
    public var transitionMarginHours: Double
    public var deadTimeFraction: Double
    /// GTI ∩ reactor state, before the dead-time correction (live time = this × (1 − dead)).
    public var onTimeDays: Double
    public var offTimeDays: Double
    /// Thermal power averaged over the ON (OFF) live time.
    public var onMeanPowerMW: Double
    public var offMeanPowerMW: Double
    /// Events in the ON (OFF) time, all energies, and those inside the binning.
    public var onEvents: Int
    public var offEvents: Int
    public var onEventsBinned: Int
    public var offEventsBinned: Int
    /// Fission fractions over the ON live time, weighted by power × time (∝ fissions), when the log gives them.
    public var onFissionFractions: [String: Double]?

    public init(nominalPowerMW: Double, onPowerFraction: Double, offPowerFraction: Double, transitionMarginHours: Double,
                deadTimeFraction: Double, onTimeDays: Double, offTimeDays: Double, onMeanPowerMW: Double,
                offMeanPowerMW: Double, onEvents: Int, offEvents: Int, onEventsBinned: Int, offEventsBinned: Int,
                onFissionFractions: [String: Double]?) {
        self.nominalPowerMW = nominalPowerMW
        self.onPowerFraction = onPowerFraction
        self.offPowerFraction = offPowerFraction
        self.transitionMarginHours = transitionMarginHours
        self.deadTimeFraction = deadTimeFraction
        self.onTimeDays = onTimeDays
        self.offTimeDays = offTimeDays
        self.onMeanPowerMW = onMeanPowerMW
        self.offMeanPowerMW = offMeanPowerMW
        self.onEvents = onEvents
        self.offEvents = offEvents
        self.onEventsBinned = onEventsBinned
        self.offEventsBinned = offEventsBinned
        self.onFissionFractions = onFissionFractions
    }

    public var fluxScale: Double { onMeanPowerMW / nominalPowerMW }

    static let fractionCards = ["U235": "FFU235", "U238": "FFU238", "Pu239": "FFPU239", "Pu241": "FFPU241"]

    /// Primary-header cards of spectra.fits.
    public var primaryKeywords: [FITSKeyword] {
        var cards = [
            FITSKeyword("INKIND", .string(InputKind.events.rawValue), "spectra binned from an event list"),
            FITSKeyword("NOMPOWER", .double(nominalPowerMW), "[MW] nominal thermal power"),
            FITSKeyword("ONFRAC", .double(onPowerFraction), "ON: power >= ONFRAC x NOMPOWER"),
            FITSKeyword("OFFFRAC", .double(offPowerFraction), "OFF: power <= OFFFRAC x NOMPOWER"),
            FITSKeyword("MARGINH", .double(transitionMarginHours), "[h] cut at each state transition"),
            FITSKeyword("DEADFRAC", .double(deadTimeFraction), "dead-time fraction; LIVETIME = SELTIME x (1-DEADFRAC)"),
            FITSKeyword("ONPOWER", .double(onMeanPowerMW), "[MW] mean thermal power over the ON live time"),
            FITSKeyword("OFFPOWER", .double(offMeanPowerMW), "[MW] mean thermal power over the OFF live time"),
            FITSKeyword("FLUXSCAL", .double(fluxScale), "ON flux / flux at NOMPOWER = ONPOWER/NOMPOWER"),
        ]
        if let ff = onFissionFractions {
            for isotope in ReactorLog.isotopes {
                cards.append(FITSKeyword(Self.fractionCards[isotope]!, .double(ff[isotope] ?? 0), "\(isotope) fission fraction over ON (fission-weighted)"))
            }
        }
        return cards
    }

    /// Cards of the ON or OFF table.
    public func tableKeywords(on: Bool) -> [FITSKeyword] {
        [
            FITSKeyword("SELTIME", .double(on ? onTimeDays : offTimeDays), "[d] GTI x reactor state, before dead time"),
            FITSKeyword("NEVENTS", .int(on ? onEvents : offEvents), "events in this state's time, all energies"),
            FITSKeyword("NBINNED", .int(on ? onEventsBinned : offEventsBinned), "of those, events inside the binning"),
        ]
    }

    /// Reads the cards back; nil when the file has no INKIND = 'events'.
    public init?(primary: FITSDocument, on: FITSTable, off: FITSTable) throws {
        guard case .string(InputKind.events.rawValue)? = primary.keyword("INKIND")?.value else { return nil }
        var ff: [String: Double]?
        if primary.keyword("FFU235") != nil {
            ff = try Dictionary(uniqueKeysWithValues: ReactorLog.isotopes.map { ($0, try primary.double(Self.fractionCards[$0]!)) })
        }
        self.init(nominalPowerMW: try primary.double("NOMPOWER"), onPowerFraction: try primary.double("ONFRAC"),
                  offPowerFraction: try primary.double("OFFFRAC"), transitionMarginHours: try primary.double("MARGINH"),
                  deadTimeFraction: try primary.double("DEADFRAC"), onTimeDays: try on.double("SELTIME"),
                  offTimeDays: try off.double("SELTIME"), onMeanPowerMW: try primary.double("ONPOWER"),
                  offMeanPowerMW: try primary.double("OFFPOWER"), onEvents: try on.int("NEVENTS"), offEvents: try off.int("NEVENTS"),
                  onEventsBinned: try on.int("NBINNED"), offEventsBinned: try off.int("NBINNED"), onFissionFractions: ff)
    }
}
