import Foundation
@testable import NMMStages
import NMMStatistics
import XCTest

/// How the exporter maps nmm's modifiers to pyhf's (no Python needed).
final class PyhfMappingTests: XCTestCase {
    /// A two-bin data set with SM (known) and MM (signal) and the given modifiers.
    func model(_ modifiers: [ModelModifier], sm: [String], mm: [String], shape: Bool = false) -> StatisticalModel {
        var smSample = ModelSample(name: "sm", role: .known, rate: [2, 1], modifiers: sm)
        if shape { smSample.shapeVariations["scale"] = ShapeVariation(down: [1.8, 1.1], up: [2.3, 0.9]) }
        let d = ModelDataSet(name: "ds", energyLowKeV: [10, 11], energyHighKeV: [11, 13], onCounts: [30, 20], offCounts: [12, 9],
                             onExposureKgDay: 10, offExposureKgDay: 5,
                             samples: [smSample, ModelSample(name: "mm", role: .signal, rate: [0.5, 0.2], modifiers: mm)])
        return StatisticalModel(dataSets: [d], modifiers: modifiers)
    }

    func testChannelsSamplesAndTheSharedBackground() throws {
        let r = try PyhfExport.build(model([], sm: [], mm: []))
        let w = r.workspace
        XCTAssertEqual(w.channels.map(\.name), ["ds_on", "ds_off"])
        XCTAssertEqual(w.channels[0].samples.map(\.name), ["sm", "mm", "background"])
        XCTAssertEqual(w.channels[0].samples[0].data, [20, 20])        // 2 × (10 kg·d × 1 keV), 1 × (10 × 2 keV)
        XCTAssertEqual(w.channels[0].samples[1].modifiers, [.init(name: "kappa", type: .normfactor)])
        let b0 = r.parameterMap.backgrounds[0].referenceRate
        XCTAssertEqual(b0[0], 42.0 / 15, accuracy: 1e-15)               // (ON + OFF)/(α + β)
        XCTAssertEqual(w.channels[0].samples[2].data[1], b0[1] * 20, accuracy: 1e-12)
        XCTAssertEqual(w.channels[1].samples[0].data[1], b0[1] * 10, accuracy: 1e-12)
        XCTAssertEqual(w.channels[0].samples[2].modifiers, [.init(name: "background_ds", type: .shapefactor)])
        XCTAssertEqual(w.channels[1].samples[0].modifiers, w.channels[0].samples[2].modifiers)
        XCTAssertEqual(w.observations.map(\.data), [[30, 20], [12, 9]])
        XCTAssertEqual(w.measurements[0].config.poi, "kappa")
        let bounds = try XCTUnwrap(w.measurements[0].config.parameters[0].bounds?.first)
        XCTAssertLessThan(bounds[0], -10 * PyhfExport.kappaScale(model([], sm: [], mm: [])))
    }

    func testTheWidestGaussianNormalisationIsLumiAndTheOthersAreHistosys() throws {
        let r = try PyhfExport.build(model([.normalisation("smNorm", sigma: 0.2), .normalisation("flux", sigma: 0.1)],
                                           sm: ["smNorm", "flux"], mm: ["flux"]))
        let sm = r.workspace.channels[0].samples[0]
        XCTAssertEqual(sm.modifiers[0], .init(name: "alpha_smNorm", type: .histosys, data: .histosys(lo: [16, 16], hi: [24, 24])))
        XCTAssertEqual(sm.modifiers[1], .init(name: "lumi", type: .lumi))
        let lumi = try XCTUnwrap(r.workspace.measurements[0].config.parameters.first { $0.name == "lumi" })
        XCTAssertEqual(lumi.auxdata, [1])
        XCTAssertEqual(lumi.sigmas, [0.1])
        XCTAssertEqual(r.notes, [])
        XCTAssertEqual(r.parameterMap.entry(nmmName: "smNorm")?.transform, .gaussianAlpha(sigma: 0.2))
        XCTAssertEqual(r.parameterMap.constantOffset, -log(0.04), accuracy: 1e-15)
    }

    func testLogNormalIsNormsysAndAShapeIsHistosys() throws {
        let r = try PyhfExport.build(model([.init(name: "eff", kind: .normalisation, constraint: .logNormal(sigma: 0.05)), .shape("scale")],
                                           sm: ["eff", "scale"], mm: ["eff"], shape: true))
        let sm = r.workspace.channels[0].samples[0]
        XCTAssertEqual(sm.modifiers[0], .init(name: "alpha_eff", type: .normsys, data: .normsys(lo: exp(-0.05), hi: exp(0.05))))
        XCTAssertEqual(sm.modifiers[1], .init(name: "scale", type: .histosys, data: .histosys(lo: [18, 22], hi: [23, 18])))
        let e = try XCTUnwrap(r.parameterMap.entry(nmmName: "eff"))
        XCTAssertEqual(r.parameterMap.nmmValue(e, pyhfValue: PyhfParameterMap.forward(1.07, e.transform)), 1.07, accuracy: 1e-15)
    }

    /// pyhf adds histosys deltas: a Gaussian normalisation beside a shape on one sample loses
    /// the cross term, and the export says so.
    func testACrossTermPyhfCannotHoldIsNoted() throws {
        let r = try PyhfExport.build(model([.normalisation("flux", sigma: 0.1), .normalisation("smNorm", sigma: 0.2), .shape("scale")],
                                           sm: ["flux", "smNorm", "scale"], mm: ["flux"], shape: true))
        XCTAssertEqual(r.notes.count, 1)
        XCTAssertTrue(r.notes[0].contains("alpha_smNorm") == false && r.notes[0].contains("smNorm, scale"), r.notes[0])
    }

    func testFreeAndHeldNormalisationsAreNormfactors() throws {
        let r = try PyhfExport.build(model([.init(name: "a", kind: .normalisation, constraint: .free),
                                            .init(name: "b", kind: .normalisation, constraint: .fixed(0.9))], sm: ["a", "b"], mm: []))
        XCTAssertEqual(r.workspace.channels[0].samples[0].modifiers.map(\.type), [.normfactor, .normfactor])
        let b = try XCTUnwrap(r.workspace.measurements[0].config.parameters.first { $0.name == "b" })
        XCTAssertEqual(b.fixed, true)
        XCTAssertEqual(b.inits, [0.9])
    }

    /// normfactor, lumi and shapefactor carry "data": null, as the schema requires.
    func testModifiersWithoutDataWriteNull() throws {
        let json = try PyhfExport.build(model([.normalisation("flux", sigma: 0.1)], sm: ["flux"], mm: ["flux"])).workspace.json()
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: json) as? [String: Any])
        let channels = try XCTUnwrap(object["channels"] as? [[String: Any]])
        let samples = try XCTUnwrap(channels[0]["samples"] as? [[String: Any]])
        let modifiers = try XCTUnwrap(samples[1]["modifiers"] as? [[String: Any]])
        XCTAssertEqual(modifiers.count, 2)
        XCTAssertTrue(modifiers.allSatisfy { $0["data"] is NSNull }, "\(modifiers)")
        XCTAssertEqual(object["version"] as? String, "1.0.0")
        XCTAssertEqual(try JSONDecoder().decode(PyhfWorkspace.self, from: json).channels.count, 2)
    }
}
