import Foundation
import XCTest
import NMMCore

/// Numerically awkward but well-formed data through `nmm fit` and `nmm limit`: a singular
/// covariance (κ degenerate with a background term or with the SM normalisation), a fit
/// stopped before convergence, empty bins after masking, no degrees of freedom. Expected:
/// exit 0 with CONVERGD/COVACC telling the story and a finite limit, or one clear line and
/// exit 65 — never a trap, never NaN in fit.fits headers, limit.fits or limit.json.
final class NumericalRobustnessTests: XCTestCase {
    var ws: Workspace!

    override func setUpWithError() throws { ws = try Workspace() }
    override func tearDownWithError() throws { ws.remove() }

    static let bins = 8
    /// MM ∝ 1/E (κ = 1), SM slowly falling: the shapes of a Ge detector at 12–20 keV.
    static let mm = (0..<bins).map { 0.03 * 12 / (12.5 + Double($0)) }
    static let sm = (0..<bins).map { 0.05 - 0.001 * Double($0) }

    func writeStageInputs(on: [Double] = [110, 95, 104, 99, 102, 97, 108, 93], off: [Double]? = nil,
                          sm: [Double] = NumericalRobustnessTests.sm, mm: [Double] = NumericalRobustnessTests.mm,
                          used: [Bool]? = nil, fit: String = "", limit: String = "") throws {
        let off = off ?? on.map { $0 - 3 }
        try ws.writeConfig(append: [fit.isEmpty ? "" : "fit: {\(fit)}", limit.isEmpty ? "" : "limit: {\(limit)}"]
            .filter { !$0.isEmpty }.joined(separator: "\n"))
        try ws.writeStageFile("residual.fits", kind: .residual, schema: 1,
                              document: StageDocuments.residual(on: on, off: off, used: used))
        try ws.writeStageFile("templates.fits", kind: .templates, schema: 2, document: StageDocuments.templates(sm: sm, mm: mm))
    }

    /// The model stage, then the fit (the model's result when it refuses the inputs).
    func fit(_ extra: [String] = []) throws -> NMMProcess.Result {
        let model = try ws.nmm(["model", "--config", "c.yaml", "--residual", "residual.fits", "--templates", "templates.fits",
                                "--output", "model.fits", "--quiet"])
        guard model.status == 0 else { return model }
        return try ws.nmm(["fit", "--config", "c.yaml", "--model", "model.fits", "--output", "fit.fits", "--quiet"] + extra)
    }

    func limit(_ extra: [String] = []) throws -> NMMProcess.Result {
        try ws.nmm(["limit", "--config", "c.yaml", "--fit", "fit.fits", "--model", "model.fits",
                    "--output", "out/limit.fits", "--quiet"] + extra)
    }

    /// fit.fits: its flags, and every header number finite (FITS cannot hold NaN anyway).
    func fitFlags(file: StaticString = #filePath, line: UInt = #line) throws -> (converged: Bool, covarianceOK: Bool, doc: FITSDocument) {
        let doc = try FITSIO.read(ws.path("fit.fits"))
        for k in doc.primaryKeywords { if case .double(let d) = k.value { XCTAssertTrue(d.isFinite, k.name, file: file, line: line) } }
        return (try doc.bool("CONVERGD"), try doc.bool("COVACC"), doc)
    }

    /// limit.fits and limit.json exist and every headline number is finite.
    func assertFiniteLimit(_ r: NMMProcess.Result, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(r.status, 0, r.stderr, file: file, line: line)
        let doc = try FITSIO.read(ws.path("out/limit.fits"))
        for key in ["KAPHAT", "KAPSIG", "KAPLO", "KAPUP", "MULIMIT"] {
            XCTAssertTrue(try doc.double(key).isFinite, key, file: file, line: line)
        }
        let json = try JSONSerialization.jsonObject(with: ws.read("out/limit.json")) as? [String: Any]
        let mu = try XCTUnwrap(json?["muNuUpperLimitBohr"] as? Double, "limit.json muNuUpperLimitBohr", file: file, line: line)
        XCTAssertTrue(mu.isFinite && mu > 0, "\(mu)", file: file, line: line)
        XCTAssertTrue(r.stdout.contains("mu_nu(anti-nu_e) < "), r.stdout, file: file, line: line)
        XCTAssertFalse(r.stdout.lowercased().contains("nan"), r.stdout, file: file, line: line)
    }

    func assertOneLineError(_ r: NMMProcess.Result, _ status: Int32, _ mentions: [String],
                            file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(r.status, status, r.stderr, file: file, line: line)
        XCTAssertEqual(r.stderrLines.count, 1, r.stderr, file: file, line: line)
        for m in mentions { XCTAssertTrue(r.stderr.contains(m), "'\(m)' not in \(r.stderr)", file: file, line: line) }
        XCTAssertFalse(ws.exists("out/limit.fits"), "no limit.fits", file: file, line: line)
        XCTAssertFalse(ws.exists("out/limit.json"), "no limit.json", file: file, line: line)
    }

    // MARK: - Baseline

    func testWellBehavedDataGiveAFiniteLimit() throws {
        try writeStageInputs()
        XCTAssertEqual(try fit().status, 0)
        let flags = try fitFlags()
        XCTAssertTrue(flags.converged)
        XCTAssertTrue(flags.covarianceOK)
        try assertFiniteLimit(try limit())
    }

    // MARK: - Singular covariance

    /// A flat MM template with a flat residual background: κ and c0 are one parameter.
    func testSingularCovarianceChi2IsFlaggedAndTheLimitRefusesIt() throws {
        try writeStageInputs(mm: [Double](repeating: 0.02, count: Self.bins), fit: "background: flat")
        let r = try fit()
        XCTAssertEqual(r.status, 0, r.stderr)
        let flags = try fitFlags()
        XCTAssertFalse(flags.covarianceOK, "COVACC must be F for a singular covariance")
        assertOneLineError(try limit(), 65, ["fit.fits", "PARAMS kappa ERROR", "σ_κ > 0", "COVACC = F"])
        assertOneLineError(try limit(["--method", "toys"]), 65, ["fit.fits", "σ_κ > 0", "limit.kappaMax"])
        // Toys on a given κ grid still cannot fit a degenerate model: a clear error, not a NaN.
        try ws.writeConfig(append: "fit: {background: flat}\nlimit: {kappaMax: 10, gridPoints: 5, toysPerPoint: 20, sensitivityToys: 0}")
        assertOneLineError(try limit(["--method", "toys"]), 65, ["model.fits: toy belt: ", "failed", "COVACC"])
    }

    /// SM normalisation free with MM ∝ SM: κ and a are degenerate in the Poisson fit.
    func testSingularCovariancePoissonIsFlagged() throws {
        let flat = [Double](repeating: 0.05, count: Self.bins)
        try writeStageInputs(sm: flat, mm: flat.map { $0 / 2 }, fit: "method: poisson, smNormalisationFree: true")
        let r = try fit()
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertFalse(try fitFlags().covarianceOK)
        assertOneLineError(try limit(), 65, ["fit.fits", "σ_κ > 0"])
    }

    // MARK: - Non-convergence

    /// One iteration is not enough for the non-linear χ² fit (flux normalisation fitted) nor
    /// for the Poisson fit: CONVERGD = F, and the limit is still computed (with a warning).
    func testFitStoppedBeforeConvergenceIsFlagged() throws {
        for method in ["chi2", "poisson"] {
            try writeStageInputs(fit: "method: \(method), fluxNormalisationSigma: 0.3, maxIterations: 1")
            let r = try fit()
            XCTAssertEqual(r.status, 0, "\(method): \(r.stderr)")
            XCTAssertFalse(try fitFlags().converged, "\(method): CONVERGD must be F")
            let l = try ws.nmm(["limit", "--config", "c.yaml", "--fit", "fit.fits", "--output", "out/limit.fits"])
            try assertFiniteLimit(l)
            XCTAssertTrue(l.stderr.contains("did not converge"), "\(method): a warning is expected: \(l.stderr)")
            XCTAssertEqual(try FITSIO.read(ws.path("out/limit.fits")).bool("FITCONV"), false, "\(method): the flag travels to limit.fits")
            let json = try JSONSerialization.jsonObject(with: ws.read("out/limit.json")) as? [String: Any]
            XCTAssertEqual(json?["fitConverged"] as? Bool, false, "\(method): and to limit.json")
            try FileManager.default.removeItem(atPath: ws.path("out"))
        }
    }

    // MARK: - Empty bins

    /// Bins with 0 counts ON and OFF next to a masked bin, every statistic and belt.
    func testEmptyBinsAfterMaskingGiveAFiniteLimit() throws {
        let on: [Double] = [110, 0, 104, 0, 102, 97, 0, 93], off: [Double] = [107, 0, 101, 0, 99, 94, 0, 90]
        var used = [Bool](repeating: true, count: Self.bins)
        used[2] = false   // masked; its neighbours are empty
        for method in ["chi2", "poisson"] {
            try writeStageInputs(on: on, off: off, used: used, fit: "method: \(method)",
                                 limit: "gridPoints: 6, toysPerPoint: 40, sensitivityToys: 20")
            XCTAssertEqual(try fit().status, 0, method)
            let flags = try fitFlags()
            XCTAssertTrue(flags.converged, method)
            try assertFiniteLimit(try limit())
            try FileManager.default.removeItem(atPath: ws.path("out"))
            try assertFiniteLimit(try limit(["--method", "toys", "--threads", "2"]))
            try FileManager.default.removeItem(atPath: ws.path("out"))
        }
    }

    /// Every bin empty, ON and OFF. χ²: each bin gets the error of one count, κ̂ is finite and
    /// so is the limit. Poisson: the deviance is piecewise linear in κ (no curvature), the
    /// fit converges to the kink with COVACC = F, and the Gaussian limit refuses it clearly.
    func testAllBinsEmpty() throws {
        let zeros = [Double](repeating: 0, count: Self.bins)
        try writeStageInputs(on: zeros, off: zeros, fit: "method: chi2")
        XCTAssertEqual(try fit().status, 0)
        XCTAssertTrue(try fitFlags().covarianceOK)
        try assertFiniteLimit(try limit())
        try FileManager.default.removeItem(atPath: ws.path("out"))

        try writeStageInputs(on: zeros, off: zeros, fit: "method: poisson")
        let r = try fit()
        XCTAssertEqual(r.status, 0, r.stderr)
        let flags = try fitFlags()
        XCTAssertTrue(flags.converged)
        XCTAssertFalse(flags.covarianceOK)
        XCTAssertNil(flags.doc.keyword("KAPERR"), "no NaN in the header: KAPERR is left out")
        assertOneLineError(try limit(), 65, ["fit.fits", "σ_κ > 0", "COVACC = F"])
    }

    // MARK: - Degenerate set-ups

    func testZeroMagneticMomentTemplateIsAClearError() throws {
        try writeStageInputs(mm: [Double](repeating: 0, count: Self.bins))
        let r = try fit()
        XCTAssertEqual(r.status, 65, r.stderr)
        XCTAssertEqual(r.stderrLines.count, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("templates.fits: MM: "), r.stderr)
        XCTAssertFalse(ws.exists("fit.fits"))
    }

    /// As many free parameters as bins: χ² = 0, NDOF = 0, no p-value — written, not a crash.
    func testNoDegreesOfFreedom() throws {
        var used = [Bool](repeating: false, count: Self.bins)
        used[1] = true; used[5] = true
        try writeStageInputs(used: used, fit: "background: flat")
        let r = try fit()
        XCTAssertEqual(r.status, 0, r.stderr)
        let flags = try fitFlags()
        XCTAssertEqual(try flags.doc.int("NDOF"), 0)
        XCTAssertNil(flags.doc.keyword("PVALUE"), "no p-value without degrees of freedom")
        try assertFiniteLimit(try limit())
    }

    /// More free parameters than bins: a clear error naming the model file.
    func testMoreParametersThanBins() throws {
        var used = [Bool](repeating: false, count: Self.bins)
        used[1] = true; used[5] = true
        try writeStageInputs(used: used, fit: "background: linear")
        let r = try fit()
        XCTAssertEqual(r.status, 65, r.stderr)
        XCTAssertEqual(r.stderrLines.count, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("model.fits: bins: 2 bin(s)"), r.stderr)
        XCTAssertFalse(ws.exists("fit.fits"))
    }
}
