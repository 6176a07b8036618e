# nmm — reactor ON/OFF spectra → Feldman–Cousins limit on the neutrino magnetic moment.
#   make analyze [CONFIG=config/my.yaml]   install what is missing, build, run the stale stages, print the limit
#   make test                             build and run every test
# Stage files are make targets, so only stale stages rerun (design.md).

CONFIG ?= config/default.yaml
BUILD  ?= build
SWIFT  ?= swift
EXP    := $(shell sed -n 's/^experiment:[[:space:]]*\([A-Za-z0-9._-]*\).*/\1/p' $(CONFIG) 2>/dev/null | head -n 1)
OUT    := $(BUILD)/$(EXP)
NMM    := .build/release/nmm
SOURCES := Package.swift $(shell find Sources -type f 2>/dev/null)
# Input spectra named in the config (empty before the first build: ingest then runs anyway).
INPUTS := $(shell test -x $(NMM) && $(NMM) inputs --config $(CONFIG) 2>/dev/null)

.PHONY: analyze test clean deps build fixtures help screenshot regression
.DELETE_ON_ERROR:

analyze: $(OUT)/limit.fits $(OUT)/report/index.html
	@$(NMM) show --config $(CONFIG) --build-dir $(BUILD)

help:
	@sed -n '2,4p' Makefile

# Debian packages the build needs; installed only when missing (through sudo when not root).
deps:
	@if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists gsl cfitsio; then \
	  echo "installing libgsl-dev libcfitsio-dev pkg-config"; \
	  SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq libgsl-dev libcfitsio-dev pkg-config; \
	fi

build: $(NMM)

$(NMM): $(SOURCES) | deps
	$(SWIFT) build -c release --product nmm
	@touch $@

$(OUT)/spectra.fits: $(CONFIG) $(INPUTS) | $(NMM)
	$(NMM) ingest --config $(CONFIG) --build-dir $(BUILD) --output $@

$(OUT)/residual.fits: $(OUT)/spectra.fits $(CONFIG) | $(NMM)
	$(NMM) subtract --config $(CONFIG) --build-dir $(BUILD) --input $< --output $@

$(OUT)/templates.fits: $(OUT)/spectra.fits $(CONFIG) | $(NMM)
	$(NMM) templates --config $(CONFIG) --build-dir $(BUILD) --input $< --output $@

$(OUT)/fit.fits: $(OUT)/residual.fits $(OUT)/templates.fits $(CONFIG) | $(NMM)
	$(NMM) fit --config $(CONFIG) --build-dir $(BUILD) --residual $(OUT)/residual.fits --templates $(OUT)/templates.fits --output $@

$(OUT)/limit.fits: $(OUT)/fit.fits $(OUT)/residual.fits $(OUT)/templates.fits $(CONFIG) | $(NMM)
	$(NMM) limit --config $(CONFIG) --build-dir $(BUILD) --fit $(OUT)/fit.fits --residual $(OUT)/residual.fits --templates $(OUT)/templates.fits --output $@

$(OUT)/report/index.html: $(OUT)/spectra.fits $(OUT)/residual.fits $(OUT)/templates.fits $(OUT)/fit.fits $(OUT)/limit.fits | $(NMM)
	$(NMM) report --config $(CONFIG) --build-dir $(BUILD) --output $(OUT)/report

# Render the report's figures (rsvg-convert) and page (chromium, if installed) to PNG.
screenshot: $(OUT)/report/index.html
	scripts/screenshot.sh $(OUT)/report

# Reproduce the published limits from their fixtures (TEXONO-KS 2003/2007, MUNU 2005) and print the table.
regression: | $(NMM)
	$(NMM) regression --quiet --build-dir $(BUILD)/regression

# Regenerate the default fixture from its config's simulation section (seeded; see Fixtures/default/README.md).
fixtures: | $(NMM)
	$(NMM) simulate --config config/default.yaml --on Fixtures/default/on.fits --off Fixtures/default/off.fits

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --disable-swift-testing

clean:
	rm -rf $(BUILD) .build

# Toy-MC belt benchmark: growth in bins and toys, nmm vs the NumPy reference (benchmarks/), one table.
.PHONY: bench
bench: $(NMM)
	benchmarks/run.sh
