import Foundation
import NMMCore
import NMMStages

/// Seeds of the event-list, reactor-log and OGIP PHA readers (FuzzSeeds uses them).
enum EventInputSeeds {
    static let frame = TimeFrame(mjdRefInteger: 60310, mjdRefFraction: 0.25, timeSystem: "TT")

    static let periods = [
        ReactorPeriod(span: TimeSpan(startS: 0, stopS: 7200), powerMW: 2900,
                      fissionFractions: ["U235": 0.56, "U238": 0.07, "Pu239": 0.31, "Pu241": 0.06]),
        ReactorPeriod(span: TimeSpan(startS: 7200, stopS: 14400), powerMW: 0,
                      fissionFractions: ["U235": 0, "U238": 0, "Pu239": 0, "Pu241": 0]),
    ]

    static var eventList: FITSDocument {
        let out = EventListSimulator.Output(timesS: [10, 20, 8000, 9000], energiesKeV: [12.5, 30, 14, 60],
                                            gtis: [TimeSpan(startS: 0, stopS: 3600), TimeSpan(startS: 7000, stopS: 14400)],
                                            periods: periods, seed: 1)
        return EventListDocument.document(out, frame: frame, deadTimeFraction: 0.02,
                                          extraKeywords: [FITSKeyword("TIMEZERO", .double(0))])
    }

    static var pha: FITSDocument {
        FITSDocument(tables: [
            FITSTable(name: "SPECTRUM", keywords: [
                FITSKeyword("EXPOSURE", .double(3600)), FITSKeyword("BACKSCAL", .double(0.25)), FITSKeyword("AREASCAL", .double(1)),
                FITSKeyword("BACKFILE", .string("bkg.pha")), FITSKeyword("HDUCLAS4", .string("TYPE:1")),
            ], columns: [
                FITSColumn("CHANNEL", unit: "", .int32([0, 1, 2])), FITSColumn("COUNTS", unit: "count", .int32([4, 5, 6])),
                FITSColumn("QUALITY", unit: "", .bool([false, true, false])),
            ]),
            FITSTable(name: "EBOUNDS", columns: [
                FITSColumn("CHANNEL", unit: "", .int32([0, 1, 2])),
                FITSColumn("E_MIN", unit: "keV", .double([12, 13, 14])), FITSColumn("E_MAX", unit: "keV", .double([13, 14, 15])),
            ]),
        ])
    }

    static let selection = EventSelectionSummary(
        nominalPowerMW: 2900, onPowerFraction: 0.9, offPowerFraction: 0.05, transitionMarginHours: 1, deadTimeFraction: 0.02,
        onTimeDays: 10, offTimeDays: 4, onMeanPowerMW: 2850, offMeanPowerMW: 1, onEvents: 100, offEvents: 40,
        onEventsBinned: 90, offEventsBinned: 35, onFissionFractions: ["U235": 0.5, "U238": 0.07, "Pu239": 0.36, "Pu241": 0.07])

    static let config = """
        experiment: fuzz-events
        detector: {target: Ge, massKg: 1.06}
        reactor:
          thermalPowerMW: 2900
          distanceM: 28
          fissionFractions: {U235: 0.49, U238: 0.07, Pu239: 0.36, Pu241: 0.08}
        inputs:
          kind: events
          events: e.fits
          reactorLog: log.csv
          nominalPowerMW: 2900
          onPowerFraction: 0.9
          offPowerFraction: 0.05
          transitionMarginHours: 1
          deadTimeFraction: 0.02
          binningKeV: [12, 64, 1]
          phaCalibrationKeV: [0.1, 0.05]
          timeRangeMJD: [60310, 60400]
          massKg: 1.06
        analysis: {windowKeV: [12, 64]}
        simulation:
          rangeKeV: [2, 100]
          binWidthKeV: 1
          backgroundPerKgKeVDay: 1
          events:
            mjdRef: 60310
            reactorPeriodsHours: [[100, 1, 0.56, 0.07, 0.31, 0.06], [50, 0, 0, 0, 0, 0]]
            dataGapsHours: [[10, 12]]
            deadTimeFraction: 0.02
        """
}
