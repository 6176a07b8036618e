"""Asymptotic CLs upper limit of an nmm pyhf workspace with pyhf itself (InteropTests).

usage: pyhf_upper_limit.py WORKSPACE.json CL [KAPPA ...]

Prints one JSON object: the pyhf version; the POI and its bounds (the test needs the lower bound
0 so that pyhf's "qtilde" is CCGV's q~ with mu-hat >= 0); the observed and expected upper limits
from pyhf.infer.intervals.upper_limits.toms748_scan(data, model, *poi_bounds, level=1-CL,
test_stat="qtilde", calctype="asymptotics") — what upper_limit(..., scan=None, level=1-CL) runs,
except that pyhf 0.7.6's upper_limit does not pass `level` on (scikit-hep/pyhf#2563: it always
gives 95% CL limits) — with pyhf's default tolerances (rtol 1e-4); and at each
KAPPA the observed CLs, CLs+b, CLb and the five expected CLs from pyhf.infer.hypotest. The model
is built with nmm's interpolation codes (normsys code1, histosys code0; see pyhf_check.py) and
fitted with pyhf's default optimizer (scipy SLSQP, default tolerance): nmm's limits agree with
them to <= 6e-7 (to <= 2e-8 with a 1e-12 tolerance, which takes 2.5x longer: 270 s on the
default config).
"""
import json
import sys
import warnings

import pyhf

NMM_SETTINGS = {"normsys": {"interpcode": "code1"}, "histosys": {"interpcode": "code0"}}


def main():
    spec = json.load(open(sys.argv[1]))
    cl = float(sys.argv[2])
    kappas = [float(k) for k in sys.argv[3:]]
    pyhf.set_backend("numpy")
    workspace = pyhf.Workspace(spec)
    model = workspace.model(modifier_settings=NMM_SETTINGS)
    data = workspace.data(model)
    poi = model.config.poi_index
    bounds = model.config.suggested_bounds()[poi]
    level = 1 - cl
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. pyhf's warning for a POI lower bound other than 0
        # What upper_limit(data, model, scan=None, level=level, ...) runs, with the level passed
        # on: pyhf 0.7.6's upper_limit drops `level` when scan=None and always returns 95% CL
        # limits (scikit-hep/pyhf#2563), so the toms748 scan is called as upper_limit calls it.
        obs, exp = pyhf.infer.intervals.upper_limits.toms748_scan(
            data, model, bounds[0], bounds[1], level=level, test_stat="qtilde", calctype="asymptotics")
    points = []
    for k in kappas:
        cls, tails, expected = pyhf.infer.hypotest(
            k, data, model, test_stat="qtilde", calctype="asymptotics",
            return_tail_probs=True, return_expected_set=True)
        points.append({"kappa": k, "cls": float(cls), "clsb": float(tails[0]), "clb": float(tails[1]),
                       "expected": [float(e) for e in expected]})
    print(json.dumps({"pyhf": pyhf.__version__, "poi": model.config.poi_name, "poi_bounds": [float(b) for b in bounds],
                      "level": level, "observed": float(obs), "expected": [float(e) for e in exp], "points": points}))


if __name__ == "__main__":
    main()
