#!/usr/bin/env python3
"""NumPy reference of nmm's toy-MC Feldman-Cousins belt (the same model, grid, toys and
both test statistics), to time against `nmm bench`.

Input: the JSON written by `nmm bench --export-input FILE` (bins, ON/OFF counts, exposures,
SM/MM templates, held normalisations, the chi2 error rule, each statistic's kappa grid).
Only fits of kappa alone are covered (every shipped config): rate model
s_i(kappa) = f*(a*SM_i + kappa*MM_i) with f, a held.

Per grid point kappa_j, as nmm does (Sources/NMMStages/Statistics/):
  1. generation means: the per-bin background profiled in closed form on the observed data
     at kappa_j (a port of OnOffProfile.profile): ON mean alpha*u, OFF mean beta*b;
  2. toys in blocks of --block (default 1000), all bins at once with Generator.poisson
     (PCG64, one stream per grid point); no Python loop per toy;
  3. chi2: the closed-form weighted linear fit in kappa (pooled or observed-count errors),
     t = S2 (kappa_j - kappa_hat)^2 - [kappa_hat < 0] S2 kappa_hat^2;
     Poisson: the profiled ON/OFF deviance, background per bin in closed form, minimised
     over kappa >= 0 by the same safeguarded Halley iteration as nmm (analytic D', D'', D''';
     start at kappa_j, stop at Newton decrement D'^2/D'' < 1e-6, D_min from the cubic
     Taylor model there), vectorised over the toys still iterating;
     t = D(kappa_j) - D_min from the profiled means (np.log of their ratios);
  4. t_c = the smallest t with >= CL of the toys at or below it.
Prints seconds and toys/s per statistic, and the critical values' summary.
"""
import argparse
import json
import os
import platform
import sys
import time

import numpy as np

DECREMENT_TOL = 1e-6
MAX_ITER = 100


class Model:
    def __init__(self, d):
        lo = np.asarray(d["energyLowKeV"], float)
        hi = np.asarray(d["energyHighKeV"], float)
        w = hi - lo
        self.alpha = w * d["onExposureKgDay"]
        self.beta = w * d["offExposureKgDay"]
        self.A = self.alpha + self.beta
        self.half_inv_A = 1.0 / (2.0 * self.A)
        f, a = d["fluxNorm"], d["smNorm"]
        self.s0 = f * a * np.asarray(d["smRate"], float)
        self.d = f * np.asarray(d["mmRate"], float)
        self.d2 = self.d * self.d
        self.d3 = self.d2 * self.d
        self.inv_alpha = 1.0 / self.alpha
        self.inv_beta = 1.0 / self.beta
        self.alpha_beta = self.alpha * self.beta
        self.rule = d["residualErrors"]
        self.on = np.asarray(d["onCounts"], float)
        self.off = np.asarray(d["offCounts"], float)


def profile_general(n, m, s, alpha, beta):
    """Literal vectorised port of OnOffProfile.profile: (u, b, slope, curvature)."""
    A = alpha + beta
    with np.errstate(all="ignore"):
        # s >= 0
        bq = A * s - n - m
        disc = np.sqrt(np.maximum(bq * bq + 4 * A * m * s, 0))
        bp = np.where(bq <= 0, (-bq + disc) / (2 * A), (2 * m * s) / (bq + disc))
        bp = np.maximum(bp, 0)
        up = bp + s
        # s < 0, in u = b + s
        bq2 = -(A * s + n + m)
        disc2 = np.sqrt(np.maximum(bq2 * bq2 - 4 * A * n * s, 0))
        un = np.where(bq2 <= 0, (-bq2 + disc2) / (2 * A), (-2 * n * s) / (bq2 + disc2))
        un = np.maximum(un, 0)
        bn = un - s
        pos = s >= 0
        b = np.where(pos, bp, bn)
        u = np.where(pos, up, un)
        slope = np.where(u <= 0, np.where(m > 0, 2 * (m / b - beta), -2 * beta), 2 * (alpha - n / u))
        curv_interior = np.where((n > 0) & (m > 0), 2 / (u * u / n + b * b / m), 0.0)
        curv = np.where(u <= 0, np.where(m > 0, 2 * m / (b * b), 0.0),
                        np.where(b <= 0, 2 * n / (u * u), curv_interior))
    return u, b, slope, curv


def profile(n, m, s, mod):
    """Profiled (u, b, dD/ds, d2D/ds2, d3D/ds3) for count arrays (T, nb) and signals s (T, nb)
    or (nb,). Fast path for the common case (s >= 0, n > 0, m > 0, b from the non-cancelling
    root), the literal port on the remaining entries (rare; third derivative 0 there), as in
    nmm's KappaOnlyPoisson."""
    A, h = mod.A, mod.half_inv_A
    alpha = mod.alpha
    with np.errstate(all="ignore"):
        bq = A * s - n - m
        disc = np.sqrt(bq * bq + 4 * A * m * s)
        b = (disc - bq) * h
        u = b + s
        p = m * u * u + n * b * b
        r = 1.0 / (u * p)
        ur = u * r
        nm = n * m
        slope = 2 * (alpha - n * p * r)
        curv = 2 * nm * ur
        third = 4 * nm * (n * n * (b * b * b) - m * m * (u * u * u)) * (ur * ur * ur)
    common = (s >= 0) & (n > 0) & (m > 0) & (bq <= 0)
    if not common.all():
        bad = ~common
        ss = np.broadcast_to(s, n.shape)
        ab = np.broadcast_to(alpha, n.shape)[bad]
        bb = np.broadcast_to(mod.beta, n.shape)[bad]
        u2, b2, sl2, c2 = profile_general(n[bad], m[bad], ss[bad], ab, bb)
        u, b, slope, curv, third = (np.array(x, copy=True) for x in (u, b, slope, curv, third))
        u[bad], b[bad], slope[bad], curv[bad], third[bad] = u2, b2, sl2, c2, 0.0
    return u, b, slope, curv, third


def generation_means(mod, kappa):
    s = mod.s0 + kappa * mod.d
    u, b, _, _ = profile_general(mod.on, mod.off, s, mod.alpha, mod.beta)
    return mod.alpha * u, mod.beta * b


def halley(g, h, j):
    den = 2 * h * h - g * j
    with np.errstate(all="ignore"):
        return np.where(den > h * h, -2 * g * h / den, -g / h)


def chi2_sums(n, m, mod, pooled=True):
    y = n * mod.inv_alpha - m * mod.inv_beta - mod.s0
    if pooled:
        w = mod.alpha_beta / np.maximum(n + m, 1.0)
    else:
        w = 1.0 / (np.maximum(n, 1.0) * mod.inv_alpha ** 2 + np.maximum(m, 1.0) * mod.inv_beta ** 2)
    return (w * y) @ mod.d, w @ mod.d2


def chi2_t(kj, n, m, mod):
    s1, s2 = chi2_sums(n, m, mod, mod.rule == "pooled")
    kh = s1 / s2
    t = s2 * (kj - kh) ** 2 - np.where(kh < 0, s2 * kh * kh, 0.0)
    return np.maximum(t, 0.0)


def poisson_t(kj, n, m, mod):
    T = n.shape[0]
    uJ, bJ, sl, cu, th = profile(n, m, mod.s0 + kj * mod.d, mod)
    g, h, j = sl @ mod.d, cu @ mod.d2, th @ mod.d3
    k = np.full(T, float(kj))
    lo = np.zeros(T)
    lo_ok = np.zeros(T, bool)
    hi = np.full(T, np.inf)
    corr = np.zeros(T)
    UK, BK = uJ.copy(), bJ.copy()
    ok = np.ones(T, bool)
    active = np.arange(T)
    for _ in range(MAX_ITER):
        ka = k[active]
        finite = np.isfinite(g) & np.isfinite(h) & np.isfinite(j)
        ok[active[~finite]] = False
        boundary = finite & (ka == 0) & (g >= 0)
        conv = finite & ~boundary & (h > 0) & (g * g < DECREMENT_TOL * h)
        if conv.any():
            gc, hc, jc = g[conv], h[conv], j[conv]
            delta = np.maximum(halley(gc, hc, jc), -ka[conv])
            corr[active[conv]] = delta * (gc + delta * (0.5 * hc + delta * jc / 6))
        cont = finite & ~boundary & ~conv
        a, kc, gc, hc, jc = active[cont], ka[cont], g[cont], h[cont], j[cont]
        if a.size == 0:
            active = a
            break
        neg = gc < 0
        lo[a[neg]] = kc[neg]
        lo_ok[a[neg]] = True
        hi[a[~neg]] = kc[~neg]
        la, ha, loka = lo[a], hi[a], lo_ok[a]
        with np.errstate(all="ignore"):
            nxt = kc + halley(gc, hc, jc)
            mid = 0.5 * (la + ha)
            nxt = np.where(nxt <= la, np.where(loka, mid, 0.0), np.where(nxt >= ha, mid, nxt))
            # no curvature: expand or bisect
            nxt = np.where(hc > 0, nxt, np.where(gc < 0, np.where(np.isfinite(ha), 0.5 * (kc + ha), 2 * kc + 1),
                                                  0.5 * (la + kc)))
        k[a] = nxt
        u, b, sl, cu, th = profile(n[a], m[a], mod.s0 + nxt[:, None] * mod.d, mod)
        UK[a], BK[a] = u, b
        g, h, j = sl @ mod.d, cu @ mod.d2, th @ mod.d3
        active = a
    else:
        ok[active] = False
    with np.errstate(all="ignore"):
        x = 2 * (mod.alpha * (uJ - UK) + mod.beta * (bJ - BK))
        x += np.where(n > 0, 2 * n * np.log(UK / uJ), 0.0)
        x += np.where(m > 0, 2 * m * np.log(BK / bJ), 0.0)
    t = np.maximum(x.sum(axis=1) - corr, 0.0)
    t[~ok] = np.nan
    return t


def belt(mod, grid, toys, block, statistic, seed, cl):
    crit = np.empty(len(grid))
    failed = 0
    stat = chi2_t if statistic == "chi2" else poisson_t
    for j, kj in enumerate(grid):
        on_mean, off_mean = generation_means(mod, kj)
        rng = np.random.default_rng([seed, j])
        tv = np.empty(toys)
        for first in range(0, toys, block):
            c = min(block, toys - first)
            n = rng.poisson(on_mean, size=(c, on_mean.size)).astype(float)
            m = rng.poisson(off_mean, size=(c, off_mean.size)).astype(float)
            tv[first:first + c] = stat(kj, n, m, mod)
        good = tv[np.isfinite(tv)]
        failed += toys - good.size
        k = int(np.ceil(cl * good.size))
        crit[j] = np.partition(good, k - 1)[k - 1]
    return crit, failed


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("input", help="JSON from `nmm bench --export-input`")
    ap.add_argument("--toys", type=int, help="toys per grid point (default: the file's)")
    ap.add_argument("--grid-points", type=int, help="use only the first N grid points (default: all)")
    ap.add_argument("--block", type=int, default=1000, help="toys per vectorised block")
    ap.add_argument("--statistic", default="chi2,poisson")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeats", type=int, default=1, help="runs per statistic; the fastest is printed")
    ap.add_argument("--json", help="also write the results (timings, critical values) as JSON here")
    args = ap.parse_args()
    d = json.load(open(args.input))
    mod = Model(d)
    toys = args.toys or d["toysPerPoint"]
    blas = {k: v for k, v in os.environ.items() if k.startswith("OPENBLAS")}
    try:
        from threadpoolctl import threadpool_info
        pools = ", ".join(f"{p.get('internal_api')} {p.get('architecture', '')} ({p.get('num_threads')} threads)"
                          for p in threadpool_info())
    except ImportError:
        pools = "threadpoolctl not installed"
    print(f"NumPy reference belt: numpy {np.__version__}, Python {platform.python_version()}, "
          f"{d['bins']} bins, {toys} toys per point, blocks of {args.block}, "
          f"OPENBLAS env: {blas if blas else 'unset'}; BLAS: {pools}")
    try:
        from threadpoolctl import threadpool_limits
        threadpool_limits(1)          # 1 thread: the comparison is at equal thread counts
    except ImportError:
        pass
    print("statistic  threads   seconds   toys/s")
    out = {"numpy": np.__version__, "bins": d["bins"], "toys": toys, "results": {}}
    for statistic in args.statistic.split(","):
        grid = np.asarray(d["grids"][statistic], float)
        if args.grid_points:
            grid = grid[: args.grid_points]
        best = None
        for _ in range(max(args.repeats, 1)):
            t0 = time.perf_counter()
            crit, failed = belt(mod, grid, toys, args.block, statistic, args.seed, d["confidenceLevel"])
            dt = time.perf_counter() - t0
            if best is None or dt < best[0]:
                best = (dt, crit, failed)
        dt, crit, failed = best
        rate = len(grid) * toys / dt
        print(f"{statistic:<9}  {1:7d}  {dt:8.3f}  {rate:8.0f}")
        out["results"][statistic] = {"seconds": dt, "toysPerSecond": rate, "grid": grid.tolist(),
                                     "criticalValues": crit.tolist(), "failed": int(failed)}
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=1)


if __name__ == "__main__":
    sys.exit(main())
