# Generated from the stage graph (Sources/NMMStages/Pipeline/StageGraph.swift) by
# `nmm makefile > mk/stages.mk`; a test checks this file against the graph. Do not edit.
SECTION_STAMPS := $(OUT)/.sections/ingest.sha $(OUT)/.sections/subtract.sha $(OUT)/.sections/templates.sha $(OUT)/.sections/model.sha $(OUT)/.sections/fit.sha $(OUT)/.sections/limit.sha $(OUT)/.sections/report.sha

# One `nmm stamps` rewrites only the stamps whose config sections changed.
$(SECTION_STAMPS) &: $(CONFIG) | $(NMM)
	$(NMM) stamps --config $(CONFIG) --build-dir $(BUILD)

# ingest reads the config sections: inputs
$(OUT)/spectra.fits: $(OUT)/.sections/ingest.sha $(INPUTS) | $(NMM)
	$(NMM) ingest --config $(CONFIG) --build-dir $(BUILD)

# subtract reads the config sections: analysis
$(OUT)/residual.fits: $(OUT)/.sections/subtract.sha $(OUT)/spectra.fits | $(NMM)
	$(NMM) subtract --config $(CONFIG) --build-dir $(BUILD)

# templates reads the config sections: detector, reactor, source, neutrino, coherent, analysis, systematics
$(OUT)/templates.fits: $(OUT)/.sections/templates.sha $(OUT)/spectra.fits | $(NMM)
	$(NMM) templates --config $(CONFIG) --build-dir $(BUILD)

# model reads the config sections: fit, model, systematics
$(OUT)/model.fits: $(OUT)/.sections/model.sha $(OUT)/residual.fits $(OUT)/templates.fits | $(NMM)
	$(NMM) model --config $(CONFIG) --build-dir $(BUILD)

# fit reads the config sections: fit
$(OUT)/fit.fits: $(OUT)/.sections/fit.sha $(OUT)/model.fits | $(NMM)
	$(NMM) fit --config $(CONFIG) --build-dir $(BUILD)

# limit reads the config sections: limit, fit, neutrino, source
$(OUT)/limit.fits: $(OUT)/.sections/limit.sha $(OUT)/fit.fits $(OUT)/model.fits | $(NMM)
	$(NMM) limit --config $(CONFIG) --build-dir $(BUILD)

# report reads the config sections: experiment, detector, reactor, source, neutrino, coherent, analysis
$(OUT)/report/index.html: $(OUT)/.sections/report.sha $(OUT)/spectra.fits $(OUT)/residual.fits $(OUT)/templates.fits $(OUT)/fit.fits $(OUT)/limit.fits | $(NMM)
	$(NMM) report --config $(CONFIG) --build-dir $(BUILD)
