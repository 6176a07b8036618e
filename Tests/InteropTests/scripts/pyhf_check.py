"""Checks an nmm pyhf workspace with pyhf itself (InteropTests).

usage: pyhf_check.py WORKSPACE.json [POINTS.json]

Prints one JSON object: the pyhf version; whether pyhf's schema validation passed (building
pyhf.Workspace validates); per point of POINTS.json ({"points": [{pyhf name: [values]}, ...]})
-2 ln L from model.logpdf, with nmm's interpolation codes (normsys code1, histosys code0) and
with pyhf's defaults; and pyhf's maximum-likelihood fit (pyhf.infer.mle.fit, scipy SLSQP with a
tight tolerance, started from the measurement's inits) as {name: [values]} with its -2 ln L.
"""
import json
import sys

import pyhf

NMM_SETTINGS = {"normsys": {"interpcode": "code1"}, "histosys": {"interpcode": "code0"}}


def parameters(model, point):
    pars = model.config.suggested_init()
    for name, values in point.items():
        sl = model.config.par_slice(name)
        if sl.stop - sl.start != len(values):
            raise SystemExit(f"point gives {len(values)} values for {name}, the model has {sl.stop - sl.start}")
        pars[sl] = values
    missing = set(model.config.par_order) - set(point)
    if missing:
        raise SystemExit(f"point leaves out {sorted(missing)}")
    return pars


def main():
    spec = json.load(open(sys.argv[1]))
    points = json.load(open(sys.argv[2]))["points"] if len(sys.argv) > 2 else []
    pyhf.set_backend("numpy", pyhf.optimize.scipy_optimizer(tolerance=1e-12))
    workspace = pyhf.Workspace(spec)  # validates against the pyhf schema, raises if invalid
    model = workspace.model(modifier_settings=NMM_SETTINGS)
    default_model = workspace.model()
    data = workspace.data(model)
    out = {"pyhf": pyhf.__version__, "valid": True, "poi": model.config.poi_name,
           "parameters": model.config.par_order,
           "minus_two_log_l": [-2 * float(model.logpdf(parameters(model, p), data)[0]) for p in points],
           "minus_two_log_l_default_settings": [-2 * float(default_model.logpdf(parameters(default_model, p), data)[0]) for p in points]}
    best, twice_nll = pyhf.infer.mle.fit(data, model, return_fitted_val=True)
    out["mle"] = {name: [float(v) for v in best[model.config.par_slice(name)]] for name in model.config.par_order}
    out["mle_minus_two_log_l"] = float(twice_nll)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
