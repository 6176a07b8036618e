/// Semantic checks of the `source` and `coherent` sections (issue 18): each source kind takes
/// its own keys and refuses the others; the flavour follows the source.
extension AnalysisConfig {
    /// Keys of the `source` section each kind uses (besides `kind`).
    static let sourceKeys: [SourceKind: Set<String>] = [
        .reactor: [],
        .reactorLines: ["neutrinosPerFission", "chromiumShare", "totalFluxPerCm2PerS"],
        .tritium: ["activityCi", "distanceM", "totalFluxPerCm2PerS", "endpointKeV"],
    ]

    func validateSource() throws {
        let kind = sourceKind
        if let s = source {
            let given: [(String, Double?)] = [
                ("neutrinosPerFission", s.neutrinosPerFission), ("chromiumShare", s.chromiumShare),
                ("activityCi", s.activityCi), ("distanceM", s.distanceM),
                ("totalFluxPerCm2PerS", s.totalFluxPerCm2PerS), ("endpointKeV", s.endpointKeV),
            ]
            for (key, value) in given where value != nil && !(Self.sourceKeys[kind] ?? []).contains(key) {
                throw fail("source.\(key)", "is not used with source.kind \(kind.rawValue); it takes "
                           + ((Self.sourceKeys[kind] ?? []).sorted().joined(separator: ", ").ifEmpty("no other keys")))
            }
            for (key, value) in given {
                guard let v = value else { continue }
                let ok = key == "chromiumShare" ? (v >= 0 && v <= 1) : (v.isFinite && v > 0)
                guard ok else {
                    throw fail("source.\(key)", key == "chromiumShare" ? "expected a share in [0, 1], found \(v)"
                                                                       : "expected a finite value > 0, found \(v)")
                }
            }
        }
        switch kind {
        case .reactor:
            guard reactor != nil else { throw fail("reactor", "required key is missing (source.kind reactor needs the core)") }
        case .reactorLines:
            let s = source!
            if s.totalFluxPerCm2PerS != nil {
                if s.neutrinosPerFission != nil {
                    throw fail("source.neutrinosPerFission", "give either totalFluxPerCm2PerS or neutrinosPerFission (with the reactor section), not both")
                }
                if reactor != nil {
                    throw fail("reactor", "is not used when source.totalFluxPerCm2PerS gives the line flux; remove one of them")
                }
            } else if reactor == nil {
                throw fail("reactor", "required for source.kind reactor-lines (the fission rate), or give source.totalFluxPerCm2PerS")
            }
        case .tritium:
            let s = source!
            if reactor != nil { throw fail("reactor", "is not used with source.kind tritium; remove it") }
            let point = s.activityCi != nil || s.distanceM != nil
            if point == (s.totalFluxPerCm2PerS != nil) {
                throw fail("source", "give either activityCi and distanceM, or totalFluxPerCm2PerS (exactly one of the two)")
            }
            if point, s.activityCi == nil { throw fail("source.activityCi", "required with source.distanceM") }
            if point, s.distanceM == nil { throw fail("source.distanceM", "required with source.activityCi") }
        }
        if kind != .reactor, let given = neutrino?.flavor, given != kind.flavor {
            throw fail("neutrino.flavor", "source.kind \(kind.rawValue) emits \(kind.flavor.rawValue), found '\(given.rawValue)'; "
                       + "remove neutrino.flavor (it follows the source) or set it to \(kind.flavor.rawValue)")
        }
    }

    func validateCoherent() throws {
        guard let c = coherent else { return }
        let q = c.quenching
        switch q.model {
        case .none:
            if q.k != nil { throw fail("coherent.quenching.k", "is not used with model none") }
            if q.table != nil { throw fail("coherent.quenching.table", "is not used with model none") }
        case .lindhard:
            guard let k = q.k else { throw fail("coherent.quenching.k", "required with model lindhard (e.g. 0.162 for Ge, TEXONO)") }
            guard k.isFinite, k > 0, k < 10 else { throw fail("coherent.quenching.k", "expected 0 < k < 10, found \(k)") }
            if q.table != nil { throw fail("coherent.quenching.table", "is not used with model lindhard") }
        case .table:
            if q.k != nil { throw fail("coherent.quenching.k", "is not used with model table") }
            guard let table = q.table, !table.isEmpty else {
                throw fail("coherent.quenching.table", "required with model table: [[nuclearRecoilKeV, yield], ...]")
            }
            var last = 0.0
            for (i, row) in table.enumerated() {
                guard row.count == 2, row[0].isFinite, row[0] > last, row[1].isFinite, row[1] > 0, row[1] <= 1 else {
                    throw fail("coherent.quenching.table[\(i)]",
                               "expected [nuclearRecoilKeV, yield] with increasing energies > 0 and 0 < yield ≤ 1, found \(row)")
                }
                last = row[0]
            }
        }
    }
}
