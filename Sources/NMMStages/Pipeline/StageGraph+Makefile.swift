/// The Makefile's stage rules, generated from the stage graph (`nmm makefile` → mk/stages.mk;
/// StageGraphTests checks the committed file against this text).
extension StageGraph {
    public static func makefileRules() -> String {
        let stamp = { (s: StageName) in "$(OUT)/.sections/\(s.rawValue).sha" }
        var text = """
            # Generated from the stage graph (Sources/NMMStages/Pipeline/StageGraph.swift) by
            # `nmm makefile > mk/stages.mk`; a test checks this file against the graph. Do not edit.
            SECTION_STAMPS := \(stages.map { stamp($0.stage) }.joined(separator: " "))

            # One `nmm stamps` rewrites only the stamps whose config sections changed.
            $(SECTION_STAMPS) &: $(CONFIG) | $(NMM)
            \t$(NMM) stamps --config $(CONFIG) --build-dir $(BUILD)

            """
        for spec in stages {
            let inputs = spec.inputs.map { "$(OUT)/\(Self.spec($0).output)" }
                + (spec.inputs.isEmpty ? ["$(INPUTS)"] : [])
            text += """

                # \(spec.stage.rawValue) reads the config sections: \(spec.sections.map(\.rawValue).joined(separator: ", "))
                $(OUT)/\(spec.output): \(([stamp(spec.stage)] + inputs).joined(separator: " ")) | $(NMM)
                \t$(NMM) \(spec.stage.rawValue) --config $(CONFIG) --build-dir $(BUILD)

                """
        }
        return text
    }
}
