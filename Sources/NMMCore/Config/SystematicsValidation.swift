/// Checks of the `model` and `systematics` sections: every nuisance names existing samples,
/// has a width where it needs one, and a generator when it is a shape.
extension AnalysisConfig {
    /// The sample names the model stage builds from this config, in model order.
    public var modelSampleNames: [String] {
        var names = coherentEnabled ? ["sm", "cevns", "mm"] : ["sm", "mm"]
        switch fitBackground {
        case .none: break
        case .flat: names.append("flat")
        case .linear: names += ["flat", "linear"]
        }
        names += (model?.linesKeV ?? []).indices.map { "line\($0 + 1)" }
        return names
    }

    /// Names the legacy fit keys give their nuisances (smNormalisationSigma, fluxNormalisationSigma).
    public static let legacyNuisanceNames = ["smNorm", "fluxNorm"]

    func validateModel() throws {
        for (i, line) in (model?.linesKeV ?? []).enumerated() {
            guard line.count == 2, line.allSatisfy(\.isFinite), line[0] > 0, line[1] > 0 else {
                throw fail("model.linesKeV[\(i)]", "expected [energyKeV > 0, sigmaKeV > 0], found \(line)")
            }
        }
        for (i, path) in (model?.combine ?? []).enumerated() where path.isEmpty || resolve(path) == resolve(sourcePath) {
            throw fail("model.combine[\(i)]", "expected the path of another experiment's config, found '\(path)'")
        }
        var seen = Set(Self.legacyNuisanceNames)
        let samples = modelSampleNames
        for (i, s) in (systematics ?? []).enumerated() {
            let key = "systematics[\(i)]"
            guard !s.name.isEmpty, s.name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), s.name != "kappa" else {
                throw fail("\(key).name", "expected a name of letters, digits and '_' (not 'kappa'), found '\(s.name)'")
            }
            guard seen.insert(s.name).inserted else {
                throw fail("\(key).name", "'\(s.name)' is already a nuisance (names are unique; smNorm and fluxNorm belong to the fit section's keys)")
            }
            guard !s.samples.isEmpty else { throw fail("\(key).samples", "expected at least one of \(samples.joined(separator: ", "))") }
            for name in s.samples where !samples.contains(name) {
                throw fail("\(key).samples", "unknown sample '\(name)'; this config's samples are \(samples.joined(separator: ", "))")
            }
            switch s.kind {
            case .normalisation:
                guard s.generator == nil, s.size == nil else {
                    throw fail("\(key)", "generator and size belong to shape nuisances; a normalisation takes constraint and sigma")
                }
                if s.constraint ?? .gaussian != .free {
                    guard let sigma = s.sigma, sigma.isFinite, sigma > 0 else {
                        throw fail("\(key).sigma", "expected a constraint width σ > 0 (e.g. 0.03 for ±3%), found \(s.sigma.map { "\($0)" } ?? "none")")
                    }
                } else if s.sigma != nil {
                    throw fail("\(key).sigma", "a free normalisation has no width")
                }
            case .shape:
                guard let generator = s.generator else {
                    throw fail("\(key).generator", "expected one of \(ShapeGenerator.choiceList) for a shape nuisance")
                }
                guard s.constraint == nil, s.sigma == nil else {
                    throw fail("\(key)", "a shape nuisance has a unit Gaussian constraint; its size is the ±1σ templates'")
                }
                for name in s.samples where !["sm", "mm", "cevns"].contains(name) {
                    throw fail("\(key).samples", "shape templates exist for sm, cevns and mm, not '\(name)'")
                }
                switch generator {
                case .reactorBelow2MeV:
                    guard s.size == nil else { throw fail("\(key).size", "reactorBelow2MeV has no size: its ±1σ are the documented alternatives") }
                case .quenching:
                    guard coherentEnabled, coherent?.quenching.k != nil || coherent?.quenching.table != nil else {
                        throw fail("\(key).generator", "quenching varies the coherent samples' coherent.quenching.k or table; this config has neither")
                    }
                    fallthrough
                case .energyScale, .efficiency:
                    guard let size = s.size, size.isFinite, size > 0, size < 0.5 else {
                        throw fail("\(key).size", "expected a relative size in (0, 0.5), found \(s.size.map { "\($0)" } ?? "none")")
                    }
                }
            }
        }
    }
}
