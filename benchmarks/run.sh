#!/usr/bin/env bash
# Toy-MC Feldman–Cousins belt benchmark (`make bench`):
#   1. growth: nmm bench against bins (50, 500, 5000: the fixture's bins repeated; 4 κ points
#      × 10⁴ toys) and toys per point (10³, 10⁴, 10⁵; 10 κ points, 52 bins), 1 thread;
#   2. nmm vs the NumPy reference (benchmarks/reference_belt.py) on the same exported input:
#      the default fixture, 100 κ points × 10⁴ toys, both statistics, 1 and 2 threads;
#   3. nuisance-parameter paths (issue 17): rows appended to $OUT/nuisance.tsv (see below);
#   4. a table, the belts' agreement, and the closing line
#      "speedup vs reference: …x (1 thread each); 2 threads vs 1: …x" (smaller of the statistics).
# Every timing is the fastest of $REPEATS runs (the machine may be shared). OPENBLAS_CORETYPE
# and OPENBLAS_L2_SIZE are unset for the NumPy run only (they slow a current NumPy), and its
# BLAS is held to 1 thread (the comparison is 1 thread each).
set -euo pipefail
cd "$(dirname "$0")/.."
NMM=${NMM:-.build/release/nmm}
CONFIG=${CONFIG:-config/default.yaml}
PYTHON=${PYTHON:-python3}
OUT=${BENCH_DIR:-build/bench}
REPEATS=${REPEATS:-5}
GRID=${GRID:-100}
TOYS=${TOYS:-10000}
mkdir -p "$OUT"
rm -f "$OUT"/growth.tsv "$OUT"/nuisance.tsv
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)" | tee "$OUT"/load.txt

if ! "$PYTHON" -c 'import numpy' 2>/dev/null; then
  echo "bench: installing numpy for the reference ($PYTHON -m pip install numpy)" >&2
  "$PYTHON" -m pip install --quiet numpy || { echo "bench: numpy is missing and could not be installed" >&2; exit 1; }
fi
echo "OPENBLAS variables in this environment: $(env | grep '^OPENBLAS' | tr '\n' ' ' || true)(unset for the NumPy run)"

rows() {  # tag, bins, κ points, toys per point; then nmm bench's table rows → growth.tsv
  awk -v tag="$1" -v bins="$2" -v pts="$3" -v toys="$4" \
    '$1 == "chi2" || $1 == "poisson" { print tag "\t" bins "\t" pts "\t" toys "\t" $1 "\t" $2 "\t" $3 "\t" $4 }'
}

echo "== growth (1 thread, fastest of $REPEATS)"
for bins in 50 500 5000; do
  "$NMM" bench --config "$CONFIG" --bins "$bins" --grid-points 4 --toys 10000 --threads 1 --repeats "$REPEATS" \
    | tee /dev/stderr | rows bins "$bins" 4 10000 >> "$OUT"/growth.tsv
done
for toys in 1000 10000 100000; do
  "$NMM" bench --config "$CONFIG" --grid-points 10 --toys "$toys" --threads 1 --repeats "$REPEATS" \
    | tee /dev/stderr | rows toys 52 10 "$toys" >> "$OUT"/growth.tsv
done

echo "== NumPy reference vs nmm: $GRID κ points × $TOYS toys, default fixture"
"$NMM" bench --config "$CONFIG" --grid-points "$GRID" --toys "$TOYS" --export-input "$OUT"/input.json
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 \
  "$PYTHON" benchmarks/reference_belt.py "$OUT"/input.json \
  --repeats "$REPEATS" --json "$OUT"/reference.json | tee "$OUT"/reference.txt
"$NMM" bench --config "$CONFIG" --grid-points "$GRID" --toys "$TOYS" --threads 1,2 --repeats "$REPEATS" \
  --belt-out "$OUT"/nmm-belt.json | tee "$OUT"/nmm.txt

# == nuisance paths (issue 17, item 3): each shipped config with nuisances through its model
# (`nmm bench --path model`: the model with its nuisances stripped on the κ-only kernels vs the
# nuisance path, 1 thread), and the default with a ±10% flux and a flat background; rows
# "config<TAB>statistic<TAB>threads<TAB>seconds<TAB>toys/s<TAB>kappa-only toys/s" → nuisance.tsv.
NGRID=${NGRID:-20}
NTOYS=${NTOYS:-2000}
model_rows() {  # tag; nmm bench --path model's rows → nuisance.tsv
  awk -v tag="$1" '($1 == "chi2" || $1 == "poisson") && $2 == "kappa-only" { k[$1] = $5 }
                   ($1 == "chi2" || $1 == "poisson") && $2 == "nuisance" { print tag "\t" $1 "\t" $3 "\t" $4 "\t" $5 "\t" k[$1] }'
}
echo "== nuisance paths: $NGRID κ points × $NTOYS toys, 1 thread, fastest of $REPEATS"
"$NMM" bench --path model --config config/default.yaml --flux-sigma 0.1 --background flat --grid-points "$NGRID" --toys "$NTOYS" \
  --threads 1 --repeats "$REPEATS" --nuisances 1,3,10 | tee /dev/stderr | model_rows "default+flux10%+flat" >> "$OUT"/nuisance.tsv
for c in texono2003 texono2007 munu2005 conus-plus reactor-combination; do
  "$NMM" bench --path model --config "config/$c.yaml" --grid-points "$NGRID" --toys "$NTOYS" --threads 1 --repeats "$REPEATS" \
    | tee /dev/stderr | model_rows "$c" >> "$OUT"/nuisance.tsv
done

echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT"/load.txt
"$PYTHON" benchmarks/summary.py "$OUT"
