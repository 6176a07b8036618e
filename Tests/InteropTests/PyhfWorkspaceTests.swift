import Foundation
import NMMCore
import NMMStages
import NMMStatistics
import XCTest

/// Issue 15: nmm's likelihood exported as a pyhf workspace and checked by pyhf itself (pinned
/// in scripts/interop-requirements.txt): the schema validates, `model.logpdf` equals nmm's
/// −2 ln L (`StatisticalModel.minusTwoLogLikelihood`, explicit b_i) at the best fit and a dozen
/// other points to 1e-8 relative, and `pyhf.infer.mle.fit` finds nmm's κ̂ to 1e-3 σ. pyhf's
/// likelihood is the joint Poisson one, so κ̂ is compared with nmm's Poisson fit of the same
/// model (the shipped configs fit χ² by default).
final class PyhfWorkspaceTests: XCTestCase {
    var folder: InteropFolder!

    override func setUpWithError() throws { folder = try InteropFolder() }
    override func tearDown() { folder = nil }

    /// nmm's Poisson fit of a legacy-form model, as an explicit point (b_i profiled).
    func poissonFit(_ model: StatisticalModel, config: AnalysisConfig) throws -> (FitResult, ModelParameterPoint) {
        let fit = try Fit().run(model, config: config, method: .poisson)
        var modifiers: [String: Double] = [:]
        for (i, name) in fit.parameterNames.enumerated() where name != StatisticalModel.poiName { modifiers[name] = fit.values[i] }
        var best = ModelParameterPoint(kappa: fit.kappa, modifiers: modifiers, backgroundRates: [])
        best.backgroundRates = model.profiledBackgroundRates(at: best)
        return (fit, best)
    }

    /// Model stage, export through the pipeline (as `nmm export --format pyhf`), nmm's Poisson
    /// fit, pyhf on the workspace and the points.
    func checkLegacy(_ c: InteropConfig) throws {
        let (pipeline, paths) = try folder.run(c, to: .model)
        let model = try ProductStore.read(ModelProduct.self, from: paths.model).0.model
        XCTAssertNotNil(model.legacyForm(statistic: .poisson), "\(c.rawValue) is of the legacy form")
        let export = try pipeline.exportPyhf(model: paths.model, output: paths.pyhfWorkspace)
        XCTAssertEqual(export.notes, [], "the legacy form maps exactly")
        let (fit, best) = try poissonFit(model, config: pipeline.config)
        // The explicit −2 ln L at nmm's best fit is the fit's own minimum (a Poisson deviance:
        // −2 ln L + 2(n ln n − n) per count), so the function pyhf is compared with
        // is the likelihood nmm's fit minimises.
        let saturated = model.dataSets.reduce(0.0) { sum, d in
            (d.onCounts + d.offCounts).reduce(sum) { $0 + ($1 > 0 ? 2 * ($1 * log($1) - $1) : 0) }
        }
        XCTAssertEqual(model.minusTwoLogLikelihood(at: best, constants: .omitted) + saturated, fit.minimum,
                       accuracy: 1e-12 * abs(saturated), "\(c.rawValue): the explicit likelihood at nmm's best fit is the fit's minimum")
        let points = LikelihoodPoints.points(model, best: best, kappaSigma: fit.kappaError)
        XCTAssertGreaterThanOrEqual(points.count, 12)
        let agreement = try PyhfAgreement(label: c.rawValue, model: model, export: export, workspace: paths.pyhfWorkspace,
                                          points: points, folder: folder)
        agreement.assertLogpdfAgrees(defaultSettingsToo: true)
        agreement.assertMLEAgrees(with: fit, best: best)
    }

    func testDefaultConfig() throws { try checkLegacy(.standard) }

    func testMUNU() throws { try checkLegacy(.munu) }

    /// systematics: [{name: flux, kind: normalisation, sigma: 0.1, samples: [sm, mm]}] — pyhf's lumi.
    func testFluxNormalisationSystematic() throws { try checkLegacy(.fluxSystematic) }

    /// fit: {smNormalisationSigma: 0.2, fluxNormalisationSigma: 0.1} — lumi and a histosys α.
    func testSMAndFluxNormalisations() throws { try checkLegacy(.twoNormalisations) }

    /// A shape (histosys code0), a log-normal (normsys code1), a Gaussian (lumi) and a free
    /// line normalisation (normfactor): −2 ln L agrees at the nominal point and around it.
    func testBeyondLegacyLogpdfAgrees() throws {
        let (pipeline, paths) = try folder.run(.beyondLegacy, to: .model)
        var model = try ProductStore.read(ModelProduct.self, from: paths.model).0.model
        model = Self.withShape(model)
        // The model file rewritten with the shape, same provenance: the export reads it as any stage would.
        try ProductStore.write(ModelProduct(model), provenance: try ProductStore.readProvenance(from: paths.model), to: paths.model)
        XCTAssertNil(model.legacyForm(statistic: .poisson))
        let export = try pipeline.exportPyhf(model: paths.model, output: paths.pyhfWorkspace)
        XCTAssertEqual(export.notes, [])
        let types = Set(export.workspace.channels.flatMap { $0.samples.flatMap { $0.modifiers.map(\.type) } })
        XCTAssertEqual(types, [.normfactor, .lumi, .shapefactor, .histosys, .normsys])
        let agreement = try PyhfAgreement(label: "beyondLegacy", model: model, export: export, workspace: paths.pyhfWorkspace,
                                          points: nominalPoints(model), folder: folder)
        agreement.assertLogpdfAgrees(defaultSettingsToo: false)
    }

    /// `model` with a shape modifier `energyScale` on SM and MM: asymmetric ±1σ templates
    /// (−3%…+5% tilts across the window), so pyhf's default code4p would differ from code0.
    static func withShape(_ model: StatisticalModel) -> StatisticalModel {
        var m = model
        m.modifiers.append(.shape("energyScale"))
        for d in m.dataSets.indices {
            let n = Double(m.dataSets[d].binCount)
            for j in m.dataSets[d].samples.indices where [StatisticalModel.SampleName.sm, StatisticalModel.SampleName.mm].contains(m.dataSets[d].samples[j].name) {
                let r = m.dataSets[d].samples[j].rate
                let x = r.indices.map { Double($0) / max(n - 1, 1) - 0.5 }
                m.dataSets[d].samples[j].modifiers.append("energyScale")
                m.dataSets[d].samples[j].shapeVariations["energyScale"] = ShapeVariation(
                    down: r.indices.map { r[$0] * (1 - 0.03 * (1 + x[$0])) }, up: r.indices.map { r[$0] * (1 + 0.05 * (1 - x[$0])) })
            }
        }
        return m
    }

    /// nmm's general model fit (Poisson) against pyhf's MLE, and −2 ln L around nmm's best fit.
    func checkModelFit(label: String, model: StatisticalModel, export: PyhfExport.Result, workspace: String) throws {
        let fit = try ModelFit(model: model, options: ModelFitOptions(statistic: .poisson)).run()
        var modifiers: [String: Double] = [:]
        for (i, name) in fit.parameterNames.enumerated() where name != StatisticalModel.poiName { modifiers[name] = fit.values[i] }
        var best = ModelParameterPoint(kappa: fit.kappa, modifiers: modifiers, backgroundRates: [])
        best.backgroundRates = model.profiledBackgroundRates(at: best)
        let agreement = try PyhfAgreement(label: label, model: model, export: export, workspace: workspace,
                                          points: LikelihoodPoints.points(model, best: best, kappaSigma: fit.kappaError), folder: folder)
        agreement.assertLogpdfAgrees(defaultSettingsToo: false)
        agreement.assertMLEAgrees(with: fit, best: best)
    }

    func testBeyondLegacyMLEAgrees() throws {
        let (pipeline, paths) = try folder.run(.beyondLegacy, to: .model)
        let model = Self.withShape(try ProductStore.read(ModelProduct.self, from: paths.model).0.model)
        try ProductStore.write(ModelProduct(model), provenance: try ProductStore.readProvenance(from: paths.model), to: paths.model)
        let export = try pipeline.exportPyhf(model: paths.model, output: paths.pyhfWorkspace)
        try checkModelFit(label: "beyondLegacy-mle", model: model, export: export, workspace: paths.pyhfWorkspace)
    }

    /// Two data sets (the default and the MUNU fixtures) sharing the flux normalisation: one
    /// ON and one OFF channel each, one shapefactor each, one lumi.
    /// The default (with a ±10% flux) and MUNU data sets in one model, sharing the flux.
    func twoDataSetModel() throws -> StatisticalModel {
        let (_, a) = try folder.run(.fluxSystematic, to: .model)
        let (_, b) = try folder.run(.munu, to: .model)
        var first = try ProductStore.read(ModelProduct.self, from: a.model).0.model
        var second = try ProductStore.read(ModelProduct.self, from: b.model).0.model.dataSets[0]
        for j in second.samples.indices where [StatisticalModel.SampleName.sm, StatisticalModel.SampleName.mm].contains(second.samples[j].name) {
            second.samples[j].modifiers = ["flux"]
        }
        first.dataSets.append(second)
        return first
    }

    func testTwoDataSetLogpdfAgrees() throws {
        let first = try twoDataSetModel()
        let export = try PyhfExport.build(first)
        XCTAssertEqual(export.workspace.channels.map(\.name), ["default_on", "default_off", "munu2005_on", "munu2005_off"])
        XCTAssertEqual(export.parameterMap.backgrounds.map(\.pyhfName), ["background_default", "background_munu2005"])
        let agreement = try PyhfAgreement(label: "twoDataSets", model: first, export: export, workspace: folder.path("two.json"),
                                          points: nominalPoints(first), folder: folder)
        agreement.assertLogpdfAgrees(defaultSettingsToo: true)
    }

    func testTwoDataSetMLEAgrees() throws {
        let first = try twoDataSetModel()
        let export = try PyhfExport.build(first)
        try checkModelFit(label: "twoDataSets-mle", model: first, export: export, workspace: folder.path("two-mle.json"))
    }

    /// Points around the nominal parameters (κ = 0), for models nmm cannot fit yet.
    func nominalPoints(_ model: StatisticalModel) -> [(label: String, point: ModelParameterPoint)] {
        var nominal = ModelParameterPoint(kappa: 0, backgroundRates: [])
        nominal.backgroundRates = model.profiledBackgroundRates(at: nominal)
        return LikelihoodPoints.points(model, best: nominal, kappaSigma: PyhfExport.kappaScale(model))
    }
}
