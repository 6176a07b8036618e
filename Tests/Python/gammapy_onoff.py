#!/usr/bin/env python3
"""Writes an ON/OFF spectrum data set with gammapy in OGIP format (pha_obs1.fits with its
BACKFILE pha_obs1_bkg.fits and ARF), reads it back with gammapy, and prints gammapy's view
of it as JSON for OGIPInterchangeTests: counts, OFF counts, energy edges (keV), live time
(s), alpha and the safe mask; and the EBOUNDS edges as stored in the file (astropy).
Usage: gammapy_onoff.py OUTDIR"""
import json
import sys

import astropy.units as u
from astropy.io import fits
import numpy as np
from gammapy.datasets import SpectrumDatasetOnOff
from gammapy.maps import MapAxis, RegionGeom, RegionNDMap

out = sys.argv[1]
rng = np.random.default_rng(20240101)
edges = np.concatenate([np.arange(12.0, 40.0, 1.0), np.arange(40.0, 64.5, 2.0)])   # 28 + 12 bins, keV
n = len(edges) - 1
axis = MapAxis.from_energy_edges(edges * u.keV, name="energy")
geom = RegionGeom.create(region=None, axes=[axis])


def region_map(values, dtype=float, unit=""):
    return RegionNDMap.from_geom(geom, data=np.asarray(values, dtype=dtype).reshape(n, 1, 1), unit=unit)


mask = np.ones(n, dtype=bool)
mask[[0, 5]] = False                      # two channels outside the safe range: QUALITY = 1
true_axis = MapAxis.from_energy_edges(edges * u.keV, name="energy_true")
exposure = RegionNDMap.from_geom(RegionGeom.create(region=None, axes=[true_axis]),
                                 data=np.ones((n, 1, 1)), unit="m2 s")
exposure.meta["livetime"] = 4712 * u.h
dataset = SpectrumDatasetOnOff(
    name="1",
    counts=region_map(rng.poisson(200, n)),
    counts_off=region_map(rng.poisson(220, n)),
    acceptance=region_map(np.ones(n)),
    acceptance_off=region_map(np.full(n, 4.0)),    # alpha = 1/4: OFF region 4x the ON acceptance
    mask_safe=region_map(mask, dtype=bool),
    exposure=exposure,
)
dataset.write(f"{out}/pha_obs1.fits", format="ogip", overwrite=True)

back = SpectrumDatasetOnOff.read(f"{out}/pha_obs1.fits", format="ogip")
energy = back.counts.geom.axes["energy"]
with fits.open(f"{out}/pha_obs1.fits") as hdus:
    ebounds = hdus["EBOUNDS"].data
    stored = list(ebounds["E_MIN"]) + [ebounds["E_MAX"][-1]]
print(json.dumps({
    "gammapy": __import__("gammapy").__version__,
    "counts": back.counts.data.ravel().tolist(),
    "counts_off": back.counts_off.data.ravel().tolist(),
    # Floats as repr strings: Foundation's JSON parser on Linux is not correctly rounded.
    "edges_keV": [repr(float(e)) for e in energy.edges.to_value("keV")],
    "ebounds_keV": [repr(float(e)) for e in stored],
    "livetime_s": repr(float(back.exposure.meta["livetime"].to_value("s"))),
    "alpha": back.alpha.data.ravel().tolist(),
    "mask_safe": back.mask_safe.data.ravel().tolist(),
}))
