#!/usr/bin/env python3
"""Writes a ROOT file with uproot itself (no ROOT installation): TH1D h_on and h_off with
variable energy bins (x-axis title 'Energy [keV]') and whole counts, TObjStrings livetime_on,
livetime_off and mass; and h_weighted, a histogram with non-integer contents. Prints the
edges and counts as JSON for RootConverterTests. Usage: uproot_spectra.py OUTDIR"""
import json
import sys

import numpy as np
import uproot
from uproot.writing.identify import to_TAxis, to_TH1x

out = sys.argv[1]
rng = np.random.default_rng(7)
edges = np.concatenate([np.arange(12.0, 30.0, 0.5), np.arange(30.0, 64.5, 1.5)])   # 36 + 23 bins, keV
n = len(edges) - 1


def th1d(name, counts):
    contents = np.concatenate([[0.0], counts, [0.0]])    # no under/overflow
    axis = to_TAxis(fName="xaxis", fTitle="Energy [keV]", fNbins=n, fXmin=edges[0], fXmax=edges[-1], fXbins=edges)
    return to_TH1x(fName=name, fTitle=name, data=contents, fEntries=float(counts.sum()), fTsumw=float(counts.sum()),
                   fTsumw2=float(counts.sum()), fTsumwx=0.0, fTsumwx2=0.0, fSumw2=contents, fXaxis=axis)


on = rng.poisson(180, n).astype(float)
off = rng.poisson(60, n).astype(float)
on[3] = 123456789.0            # a count beyond float32 precision: must survive exactly
with uproot.recreate(f"{out}/run.root") as f:
    f["h_on"] = th1d("h_on", on)
    f["h_off"] = th1d("h_off", off)
    f["h_weighted"] = th1d("h_weighted", off * 0.5 + 0.25)
    f["livetime_on"] = "4712 h"
    f["livetime_off"] = "1250 h"
    f["mass"] = "1060 g"
# Floats as repr strings: Foundation's JSON parser on Linux is not correctly rounded.
print(json.dumps({"uproot": uproot.__version__, "edges_keV": [repr(float(e)) for e in edges],
                  "on": [repr(float(c)) for c in on], "off": [repr(float(c)) for c in off]}))
