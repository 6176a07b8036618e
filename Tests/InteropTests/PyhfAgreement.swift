import Foundation
import NMMStages
import NMMStatistics
import XCTest

func sci(_ x: Double) -> String { String(format: "%.1e", x) }

/// One comparison of an exported workspace with pyhf (scripts/pyhf_check.py): the schema, −2 ln L
/// at explicit points, and pyhf's maximum-likelihood fit against nmm's.
struct PyhfAgreement {
    /// What the script prints.
    struct Check: Decodable {
        var pyhf: String
        var valid: Bool
        var poi: String
        var parameters: [String]
        var minusTwoLogL: [Double]
        var minusTwoLogLDefaultSettings: [Double]
        var mle: [String: [Double]]
        var mleMinusTwoLogL: Double

        enum CodingKeys: String, CodingKey {
            case pyhf, valid, poi, parameters, mle
            case minusTwoLogL = "minus_two_log_l", minusTwoLogLDefaultSettings = "minus_two_log_l_default_settings"
            case mleMinusTwoLogL = "mle_minus_two_log_l"
        }
    }

    var label: String
    var model: StatisticalModel
    var export: PyhfExport.Result
    var points: [(label: String, point: ModelParameterPoint)]
    var check: Check

    /// Writes the workspace and the points (in pyhf's parameters) and runs pyhf on them.
    init(label: String, model: StatisticalModel, export: PyhfExport.Result, workspace: String,
         points: [(label: String, point: ModelParameterPoint)], folder: InteropFolder) throws {
        self.label = label
        self.model = model
        self.export = export
        self.points = points
        if !FileManager.default.fileExists(atPath: workspace) {
            try export.workspace.json().write(to: URL(fileURLWithPath: workspace))
        }
        let pyhfPoints = points.map { export.parameterMap.pyhfParameters(at: $0.point, of: model) }
        let pointsFile = folder.path("\(label)-points.json")
        try JSONEncoder().encode(["points": pyhfPoints]).write(to: URL(fileURLWithPath: pointsFile))
        check = try PythonTools.script("pyhf_check.py", [workspace, pointsFile], as: Check.self)
    }

    /// nmm's −2 ln L at point k with pyhf's constants (Poisson lnΓ(n+1), normal densities in α).
    func nmm(_ k: Int) -> Double { model.minusTwoLogLikelihood(at: points[k].point) + export.parameterMap.constantOffset }

    /// max over points of |pyhf − nmm| / |pyhf|.
    var maxRelativeDifference: Double {
        points.indices.map { abs(check.minusTwoLogL[$0] - nmm($0)) / abs(check.minusTwoLogL[$0]) }.max() ?? .nan
    }

    /// max over points of |(pyhf_k − pyhf_0) − (nmm_k − nmm_0)| / |pyhf_0|, nmm without constants.
    var maxRelativeDifferenceOfDifferences: Double {
        let n0 = model.minusTwoLogLikelihood(at: points[0].point, constants: .omitted), p0 = check.minusTwoLogL[0]
        return points.indices.map { k in
            abs((check.minusTwoLogL[k] - p0) - (model.minusTwoLogLikelihood(at: points[k].point, constants: .omitted) - n0)) / abs(p0)
        }.max() ?? .nan
    }

    /// The same with pyhf's default interpolation codes (normsys code4, histosys code4p).
    var maxRelativeDifferenceDefaultSettings: Double {
        points.indices.map { abs(check.minusTwoLogLDefaultSettings[$0] - nmm($0)) / abs(check.minusTwoLogLDefaultSettings[$0]) }.max() ?? .nan
    }

    /// pyhf's MLE of every nmm parameter (inverse transforms of the parameter map).
    var pyhfBestFit: [String: Double] {
        Dictionary(uniqueKeysWithValues: export.parameterMap.entries.compactMap { e in
            check.mle[e.pyhfName].map { (e.nmmName, export.parameterMap.nmmValue(e, pyhfValue: $0[0])) }
        })
    }

    /// Asserts the schema and point-by-point agreement to `tolerance` (relative), and prints the numbers.
    func assertLogpdfAgrees(tolerance: Double = 1e-8, defaultSettingsToo: Bool, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertTrue(check.valid, "\(label): pyhf schema validation", file: file, line: line)
        XCTAssertEqual(check.minusTwoLogL.count, points.count, file: file, line: line)
        for k in points.indices {
            XCTAssertEqual(check.minusTwoLogL[k], nmm(k), accuracy: tolerance * abs(check.minusTwoLogL[k]),
                           "\(label): −2 ln L at \(points[k].label)", file: file, line: line)
        }
        XCTAssertLessThanOrEqual(maxRelativeDifferenceOfDifferences, tolerance, "\(label): differences between points", file: file, line: line)
        if defaultSettingsToo {
            XCTAssertLessThanOrEqual(maxRelativeDifferenceDefaultSettings, tolerance, "\(label): pyhf's default interpolation codes", file: file, line: line)
        }
        print("pyhf \(check.pyhf) [\(label)]: \(points.count) points, max |pyhf − nmm|/|pyhf| = \(sci(maxRelativeDifference)), "
              + "differences between points \(sci(maxRelativeDifferenceOfDifferences)), with pyhf's default codes \(sci(maxRelativeDifferenceDefaultSettings))")
    }

    /// Asserts pyhf's κ̂ equals nmm's to `sigmas` × σ_κ and that nmm's minimum is no worse than pyhf's.
    func assertMLEAgrees(with fit: FitResult, best: ModelParameterPoint, sigmas: Double = 1e-3, file: StaticString = #filePath, line: UInt = #line) {
        let pyhfKappa = check.mle[check.poi]?.first ?? .nan
        let inSigma = (pyhfKappa - fit.kappa) / fit.kappaError
        XCTAssertLessThanOrEqual(abs(inSigma), sigmas, "\(label): pyhf κ̂ \(pyhfKappa), nmm κ̂ \(fit.kappa) ± \(fit.kappaError)", file: file, line: line)
        let nmmMinimum = model.minusTwoLogLikelihood(at: best) + export.parameterMap.constantOffset
        XCTAssertLessThanOrEqual(nmmMinimum, check.mleMinusTwoLogL + 1e-6, "\(label): nmm's minimum is pyhf's or lower", file: file, line: line)
        var nuisance = 0.0
        for (i, name) in fit.parameterNames.enumerated() where name != StatisticalModel.poiName {
            if let v = pyhfBestFit[name] { nuisance = max(nuisance, abs(v - fit.values[i]) / fit.errors[i]) }
        }
        XCTAssertLessThanOrEqual(nuisance, 1e-2, "\(label): nuisance parameters at pyhf's MLE", file: file, line: line)
        print("pyhf MLE [\(label)]: κ̂ pyhf \(pyhfKappa), nmm \(fit.kappa) ± \(fit.kappaError): difference \(sci(inSigma)) σ; "
              + "nuisances within \(sci(nuisance)) σ; −2 ln L pyhf − nmm at the minima \(sci(check.mleMinusTwoLogL - nmmMinimum))")
    }
}
