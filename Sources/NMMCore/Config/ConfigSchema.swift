/// The keys a config file may hold, section by section. Kept beside AnalysisConfig so
/// that a key added there is added here (ConfigTests checks that the documented default
/// config uses only keys listed here, and that every CodingKey is listed).
public enum ConfigSchema {
    /// The smallest valid config (every optional key left out), for documentation and tests.
    public static let minimalExample = """
        experiment: t
        detector: {target: Ge, massKg: 1.06}
        reactor:
          thermalPowerMW: 2900
          distanceM: 28
          fissionFractions: {U235: 0.49, U238: 0.07, Pu239: 0.36, Pu241: 0.08}
        inputs: {on: on.fits, off: off.fits}
        analysis: {windowKeV: [12, 64]}
        """

    public indirect enum Shape: Sendable {
        case leaf
        case list(Shape)
        case map([String: Shape])
        /// A mapping whose keys are data (e.g. isotope names), checked by validation.
        case freeMap
    }

    static let node: Shape = .map([
        "experiment": .leaf,
        "description": .leaf,
        "detector": .map([
            "target": .leaf, "massKg": .leaf, "bindingStep": .leaf,
            "resolution": .map(["aKeV": .leaf, "bKeV": .leaf, "c": .leaf]),
            "efficiency": .list(.list(.leaf)),
        ]),
        "reactor": .map([
            "thermalPowerMW": .leaf, "distanceM": .leaf, "totalFluxPerCm2PerS": .leaf,
            "fissionFractions": .freeMap, "capturesPerFission": .leaf,
        ]),
        "source": .map([
            "kind": .leaf, "neutrinosPerFission": .leaf, "chromiumShare": .leaf, "activityCi": .leaf,
            "distanceM": .leaf, "totalFluxPerCm2PerS": .leaf, "endpointKeV": .leaf,
        ]),
        "neutrino": .map(["flavor": .leaf, "sin2ThetaW": .leaf, "chargeRadiusCm2": .leaf]),
        "coherent": .map([
            "enabled": .leaf, "formFactor": .leaf,
            "quenching": .map(["model": .leaf, "k": .leaf, "table": .list(.list(.leaf))]),
        ]),
        "inputs": .map([
            "kind": .leaf, "on": .leaf, "off": .leaf, "offExposureFactor": .leaf,
            "events": .leaf, "reactorLog": .leaf, "nominalPowerMW": .leaf, "onPowerFraction": .leaf,
            "offPowerFraction": .leaf, "transitionMarginHours": .leaf, "deadTimeFraction": .leaf,
            "binningKeV": .list(.leaf), "phaCalibrationKeV": .list(.leaf), "timeRangeMJD": .list(.leaf),
            "massKg": .leaf,
        ]),
        "analysis": .map(["windowKeV": .list(.leaf), "maskedKeV": .list(.list(.leaf))]),
        "fit": .map([
            "method": .leaf, "background": .leaf, "smNormalisationSigma": .leaf,
            "smNormalisationFree": .leaf, "fluxNormalisationSigma": .leaf, "residualErrors": .leaf,
            "profileKappaMin": .leaf, "profileKappaMax": .leaf, "profilePoints": .leaf,
            "maxIterations": .leaf,
        ]),
        "limit": .map([
            "cl": .leaf, "method": .leaf, "seed": .leaf, "toysPerPoint": .leaf, "gridPoints": .leaf,
            "kappaMax": .leaf, "sensitivityToys": .leaf, "maxFailedFraction": .leaf,
            "methods": .leaf, "targetRelativeError": .leaf, "maxToysPerPoint": .leaf,
        ]),
        "model": .map(["linesKeV": .list(.list(.leaf)), "combine": .list(.leaf), "dataSet": .leaf]),
        "systematics": .list(.map([
            "name": .leaf, "kind": .leaf, "constraint": .leaf, "sigma": .leaf, "samples": .list(.leaf),
            "generator": .leaf, "size": .leaf,
        ])),
        "simulation": .map([
            "rangeKeV": .list(.leaf), "binWidthKeV": .leaf, "onLiveTimeHours": .leaf, "offLiveTimeHours": .leaf,
            "backgroundPerKgKeVDay": .leaf, "backgroundSlopePerKgKeVDayPerKeV": .leaf,
            "lines": .list(.list(.leaf)), "kappaTrue": .leaf, "seed": .leaf,
            "events": .map([
                "mjdRef": .leaf, "reactorPeriodsHours": .list(.list(.leaf)), "dataGapsHours": .list(.list(.leaf)),
                "deadTimeFraction": .leaf,
            ]),
        ]),
    ])
}
