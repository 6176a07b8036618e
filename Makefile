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

# Regenerate every fixture from its config's simulation section (seeded; see Fixtures/*/README.md):
# the default pair, and for each published experiment a Poisson draw and the Asimov pair.
fixtures: | $(NMM)
	$(NMM) simulate --config config/default.yaml --on Fixtures/default/on.fits --off Fixtures/default/off.fits
	for e in texono2003 texono2007 munu2005; do \
	  $(NMM) simulate --config config/$$e.yaml --on Fixtures/$$e/on.fits --off Fixtures/$$e/off.fits && \
	  $(NMM) simulate --config config/$$e.yaml --on Fixtures/$$e/on-asimov.fits --off Fixtures/$$e/off-asimov.fits --asimov || exit 1; \
	done

# NMM_LONG_TESTS=1: the toy-MC coverage test with 1000 pseudo-experiments per true κ runs too
# (about 1.5 minutes on 2 cores); `make test NMM_LONG_TESTS=0` skips it.
NMM_LONG_TESTS ?= 1
test: deps
	$(SWIFT) build --build-tests
	NMM_LONG_TESTS=$(NMM_LONG_TESTS) $(SWIFT) test --skip-build --disable-swift-testing

clean:
	rm -rf $(BUILD) .build

# A real one-node Slurm cluster (Debian's munge, slurmctld, slurmd; installed if missing; needs root or sudo):
# the default fixture's toy belt as `nmm submit --shards 4` (job array + afterok merge) must equal one
# process, and a failed shard must be named. Bounded in time; see scripts/cluster-test.sh.
.PHONY: cluster-test
cluster-test: $(NMM)
	@SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	$$SUDO env NMM="$(abspath $(NMM))" scripts/cluster-test.sh

# Fuzz the FITS, CSV and YAML config readers (every input through every reader; each must
# give a value or an nmm error, never a trap): FUZZ_ITERATIONS seeded mutations of valid
# inputs (deterministic; a trap leaves the input in .nmm-fuzz-current), then FUZZ_RUNS
# coverage-guided libFuzzer runs (swift build -Xswiftc -sanitize=fuzzer, own scratch folder;
# corpus in .build/fuzz/corpus, crashing inputs in .build/fuzz/artifacts/).
# With AddressSanitizer as well: make fuzz FUZZ_SANITIZE=fuzzer,address (CFITSIO's calloc of
# a corrupted size returns NULL there as in production; exit-time leak reports are off:
# Swift's lazily built globals are not leaks).
FUZZ_ITERATIONS ?= 20000
FUZZ_SEED ?= 20030331
FUZZ_RUNS ?= 200000
FUZZ_SANITIZE ?= fuzzer
FUZZ_BUILD := .build/fuzz-$(FUZZ_SANITIZE)
.PHONY: fuzz
fuzz: deps
	$(SWIFT) build --product NMMFuzz
	.build/debug/NMMFuzz --iterations $(FUZZ_ITERATIONS) --seed $(FUZZ_SEED)
	$(SWIFT) build --scratch-path $(FUZZ_BUILD) --product NMMFuzz -Xswiftc -sanitize=$(FUZZ_SANITIZE) -Xswiftc -DNMM_LIBFUZZER
	rm -rf .build/fuzz/seeds && .build/debug/NMMFuzz --write-corpus .build/fuzz/seeds
	mkdir -p .build/fuzz/corpus .build/fuzz/artifacts
	ASAN_OPTIONS=allocator_may_return_null=1:detect_leaks=0 $(FUZZ_BUILD)/debug/NMMFuzz -runs=$(FUZZ_RUNS) \
	  -max_len=20000 -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix=.build/fuzz/artifacts/ \
	  .build/fuzz/corpus .build/fuzz/seeds

# Toy-MC belt benchmark: growth in bins and toys, nmm vs the NumPy reference (benchmarks/), one table.
.PHONY: bench
bench: $(NMM)
	benchmarks/run.sh
