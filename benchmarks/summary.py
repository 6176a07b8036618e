#!/usr/bin/env python3
"""Prints the benchmark table from the files benchmarks/run.sh leaves in its output folder
(growth.tsv, reference.json, nmm.txt, nmm-belt.json; nuisance.tsv and load.txt when present)
and ends with the line
    speedup vs reference: X x (1 thread each); 2 threads vs 1: Y x
where X and Y are the smaller of the two statistics' values (wall-clock times of the same run,
each the fastest of its repeats)."""
import json
import os
import platform
import subprocess
import sys


def machine():
    model = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    except (OSError, IndexError):
        swift = "swift ?"
    return f"{model}, {os.cpu_count()} cores, {platform.system()} {platform.release()}; {swift}"


def nmm_rows(path):
    rows = {}
    for line in open(path):
        f = line.split()
        if len(f) == 4 and f[0] in ("chi2", "poisson"):
            rows[(f[0], int(f[1]))] = (float(f[2]), float(f[3]))
    return rows


def nuisance_rows(out):
    """The nuisance-path rows run.sh appends to nuisance.tsv (issue 17, item 3), if any."""
    path = os.path.join(out, "nuisance.tsv")
    if not os.path.exists(path):
        return
    print("nuisance paths (1 thread unless stated):")
    print(f"  {'config':24} {'statistic':9} {'threads':>7} {'seconds':>8} {'toys/s':>10} {'κ-only toys/s':>13} {'ratio':>6}")
    ratios = []
    for line in open(path):
        f = line.rstrip("\n").split("\t")
        if len(f) != 6:
            continue
        config, stat, threads, sec, rate, kappa_rate = f[0], f[1], int(f[2]), float(f[3]), float(f[4]), float(f[5])
        ratios.append(rate / kappa_rate)
        print(f"  {config:24} {stat:9} {threads:7d} {sec:8.3f} {rate:10.0f} {kappa_rate:13.0f} {rate / kappa_rate:6.2f}")
    if ratios:
        print(f"nuisance path / kappa-only: {min(ratios):.2f} (smallest)")
    print()


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "build/bench"
    ref = json.load(open(os.path.join(out, "reference.json")))
    nmm = nmm_rows(os.path.join(out, "nmm.txt"))
    belts = json.load(open(os.path.join(out, "nmm-belt.json")))
    print()
    print(f"machine: {machine()}")
    blas = "?"
    try:
        first = open(os.path.join(out, "reference.txt")).readline()
        blas = first.split("BLAS: ", 1)[1].strip() if "BLAS: " in first else "?"
    except OSError:
        pass
    print(f"NumPy {ref['numpy']} (1 thread; BLAS {blas}; OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE unset), "
          f"{ref['bins']} bins, {ref['toys']} toys per κ point")
    print()
    print("growth, 1 thread (time per toy and bin should stay flat):")
    print(f"  {'bins':>5} {'κ pts':>5} {'toys/pt':>7}   {'chi2 s':>8} {'ns/(toy·bin)':>13}   {'poisson s':>9} {'ns/(toy·bin)':>13}")
    growth = {}
    for line in open(os.path.join(out, "growth.tsv")):
        tag, bins, pts, toys, stat, threads, sec, rate = line.rstrip("\n").split("\t")
        growth.setdefault((tag, int(bins), int(pts), int(toys)), {})[stat] = float(sec)
    for (tag, bins, pts, toys), g in growth.items():
        cells = [f"{g[s]:8.3f} {g[s] / (pts * toys * bins) * 1e9:13.2f}" for s in ("chi2", "poisson")]
        print(f"  {bins:>5} {pts:>5} {toys:>7}   {cells[0]}   {cells[1]}")
    print()
    grid = len(next(iter(ref["results"].values()))["grid"])
    print(f"NumPy reference vs nmm, {grid} κ points × {ref['toys']} toys = {grid * ref['toys']:,} toys per belt:")
    print(f"  {'statistic':9} {'numpy s':>8} {'toys/s':>9}   {'nmm 1t s':>8} {'toys/s':>10}   {'nmm 2t s':>8} {'toys/s':>10}"
          f"   {'speedup':>7} {'2t/1t':>6}   t_c(nmm) − t_c(numpy)")
    speedups, scalings = [], []
    for stat, r in ref["results"].items():
        n1, n2 = nmm[(stat, 1)], nmm[(stat, 2)]
        sp, sc = r["seconds"] / n1[0], n1[0] / n2[0]
        speedups.append(sp)
        scalings.append(sc)
        a, b = belts[stat]["criticalValues"], r["criticalValues"]
        diffs = [x - y for x, y in zip(a, b)]
        mean = sum(diffs) / len(diffs)
        rms = (sum(d * d for d in diffs) / len(diffs)) ** 0.5
        print(f"  {stat:9} {r['seconds']:8.3f} {r['toysPerSecond']:9.0f}   {n1[0]:8.3f} {n1[1]:10.0f}   "
              f"{n2[0]:8.3f} {n2[1]:10.0f}   {sp:6.1f}x {sc:5.2f}x   mean {mean:+.4f} ± {rms / len(diffs) ** 0.5:.4f}, rms {rms:.3f}")
    print(f"  (the belts use independent random streams: t_c differ by Monte Carlo error only, ≈ 0.05–0.1 per point)")
    print("  NumPy reference: Generator.poisson draws, Newton on the profiled deviance with exact D', D''"
          " over whole blocks (benchmarks/reference_belt.py)")
    print()
    nuisance_rows(out)
    try:
        for line in open(os.path.join(out, "load.txt")):
            print(line.rstrip())
    except OSError:
        pass
    print(f"speedup vs reference: {min(speedups):.1f}x (1 thread each); 2 threads vs 1: {min(scalings):.2f}x")


if __name__ == "__main__":
    main()
