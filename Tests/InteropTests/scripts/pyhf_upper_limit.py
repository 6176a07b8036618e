"""Asymptotic CLs upper limit of an nmm pyhf workspace with pyhf itself (InteropTests).

usage: pyhf_upper_limit.py WORKSPACE.json CL [KAPPA ...]

Prints one JSON object: the pyhf version; the POI and its bounds (the test needs the lower bound
0 so that pyhf's "qtilde" is CCGV's q~ with mu-hat >= 0); the observed and expected upper limits
from pyhf.infer.intervals.upper_limits.upper_limit(data, model, scan=None, level=1-CL,
test_stat="qtilde", calctype="asymptotics") (toms748 root finding, pyhf's defaults); and at each
KAPPA the observed CLs, CLs+b, CLb and the five expected CLs from pyhf.infer.hypotest. The model
is built with nmm's interpolation codes (normsys code1, histosys code0; see pyhf_check.py) and
fitted with scipy's SLSQP at a tight tolerance.
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
    pyhf.set_backend("numpy", pyhf.optimize.scipy_optimizer(tolerance=1e-12))
    workspace = pyhf.Workspace(spec)
    model = workspace.model(modifier_settings=NMM_SETTINGS)
    data = workspace.data(model)
    poi = model.config.poi_index
    bounds = model.config.suggested_bounds()[poi]
    level = 1 - cl
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. pyhf's warning for a POI lower bound other than 0
        obs, exp = pyhf.infer.intervals.upper_limits.upper_limit(
            data, model, scan=None, level=level, test_stat="qtilde", calctype="asymptotics")
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
