import Foundation
import NMMStatistics

extension LimitProduct {
    /// The headline numbers as one JSON object (limit.json and `nmm limit --json`).
    public func json(experiment: String?) -> String {
        var obj: [String: Any] = [
            "method": method.rawValue,
            "statistic": statistic?.rawValue ?? LimitProduct.gaussianStatisticWord,
            "flavor": flavor.rawValue,
            "confidenceLevel": confidenceLevel,
            "kappaHat": kappaHat,
            "kappaSigma": kappaSigma,
            "kappaInterval": [kappaLower, kappaUpper],
            "kappaUnit": MagneticMomentUnits.kappaUnit,
            "muNuUpperLimitBohr": muLimitBohr,
            "tauM3LowerBoundEV3s": tauM3Bound,
            "seed": String(seed),
            "toys": totalToys,
            "failedToys": failedToys,
            "line": headline,
        ]
        if let experiment { obj["experiment"] = experiment }
        if let kappaLowerError { obj["kappaLowerMCError"] = kappaLowerError }
        if let kappaUpperError { obj["kappaUpperMCError"] = kappaUpperError }
        if let muLimitErrorBohr { obj["muNuUpperLimitMCErrorBohr"] = muLimitErrorBohr }
        if let a = adaptiveToys {
            obj["adaptiveToys"] = [
                "targetRelativeError": a.settings.targetRelativeError,
                "maxToysPerPoint": a.settings.maxToysPerPoint,
                "targetMet": a.targetMet,
                "rounds": a.rounds,
            ] as [String: Any]
        }
        if let fitConverged { obj["fitConverged"] = fitConverged }
        if let fitCovarianceAccurate { obj["fitCovarianceAccurate"] = fitCovarianceAccurate }
        if let s = sensitivity {
            obj["sensitivity"] = [
                "quantiles": s.quantiles,
                "kappaUpper": s.kappaUpper,
                "muNuUpperBohr": s.kappaUpper.map { MagneticMomentUnits.muBohr(kappa: $0) },
                "medianMuNuUpperBohr": MagneticMomentUnits.muBohr(kappa: s.median),
                "pseudoExperiments": s.pseudoExperiments,
            ]
        }
        if !comparisons.isEmpty { obj["methods"] = allMethodResults.map(Self.json) }
        return JSONText.encode(obj)
    }

    /// One method's numbers (limit.json "methods").
    static func json(_ r: IntervalResult) -> [String: Any] {
        var m: [String: Any] = [
            "method": r.method.rawValue,
            "confidenceLevel": r.confidenceLevel,
            "kappaUpper": r.kappaUpper,
            "muNuUpperLimitBohr": MagneticMomentUnits.muBohr(kappa: r.kappaUpper),
            "toys": r.toys,
        ]
        if let e = r.monteCarloError { m["kappaUpperMonteCarloError"] = e }
        if let b = r.expected {
            m["expectedKappaUpper"] = b.values
            m["expectedMuNuUpperBohr"] = b.values.map { MagneticMomentUnits.muBohr(kappa: $0) }
        }
        if !r.notes.isEmpty { m["notes"] = r.notes }
        return m
    }
}

/// JSON text of plain values; non-finite numbers (which JSON cannot hold) become null.
public enum JSONText {
    public static func encode(_ object: Any) -> String {
        let clean = sanitize(object)
        guard let data = try? JSONSerialization.data(withJSONObject: clean, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return "{}"
        }
        return String(decoding: data, as: UTF8.self)
    }

    static func sanitize(_ v: Any) -> Any {
        switch v {
        case let d as Double: return d.isFinite ? d : NSNull()
        case let a as [Any]: return a.map(sanitize)
        case let m as [String: Any]: return m.mapValues(sanitize)
        default: return v
        }
    }
}
