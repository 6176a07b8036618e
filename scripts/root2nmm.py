#!/usr/bin/env python3
"""Convert ROOT TH1 spectra (reactor ON and OFF) into nmm's input SPECTRUM tables.

Reads two one-dimensional histograms with uproot (no ROOT installation needed) and writes one
FITS file per histogram in the layout nmm reads (README, Inputs: "Spectra, FITS"): a BINTABLE
SPECTRUM with E_LO, E_HI (TUNIT: the energy unit of the x axis) and COUNTS (TUNIT count), and
the keywords LIVETIME + TIMEUNIT and MASS + MASSUNIT.

Where the numbers come from:
  energies   the bin edges of the histogram's x axis; the unit from --energy-unit, else from the
             axis title ("Energy [keV]"); under- and overflow bins are dropped (a warning if not empty)
  counts     the bin contents; they must be whole numbers (a weighted or scaled histogram is not
             a count spectrum)
  live time  --on-livetime / --off-livetime ("4712 h"), else the object named by
             --on-livetime-key / --off-livetime-key in the ROOT file: a TObjString ("4712 h") or a
             TParameter<double> whose value is in --livetime-unit
  mass       --mass ("1.06 kg"), else the object named by --mass-key: a TObjString ("1.06 kg") or a
             TParameter<double> in --mass-unit

Exit codes as nmm's (BSD sysexits): 0 ok, 64 usage, 65 bad input data, 66 input missing,
73 cannot write output; every error is one line on stderr naming the file and the object.

Example:
  scripts/root2nmm.py run.root --on h_on --off h_off --out-on on.fits --out-off off.fits --mass "1.06 kg"
Needs: uproot, astropy, numpy (scripts/interop-requirements.txt pins tested versions; `make venv`).
"""
import argparse
import math
import os
import sys
import tempfile

TIME_UNITS = {"s", "h", "d"}
MASS_UNITS = {"kg", "g"}
ENERGY_UNITS = {"ev": "eV", "kev": "keV", "mev": "MeV"}


class ConversionError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


def quantity(text, units, what):
    """'4712 h' -> (4712.0, 'h'); refuses other units and non-positive values."""
    parts = str(text).split()
    if len(parts) != 2:
        raise ConversionError(65, f"{what}: expected '<value> <unit>' with unit {'/'.join(sorted(units))}, found '{text}'")
    try:
        value = float(parts[0])
    except ValueError:
        raise ConversionError(65, f"{what}: expected a number, found '{parts[0]}'")
    if parts[1] not in units:
        raise ConversionError(65, f"{what}: expected unit {'/'.join(sorted(units))}, found '{parts[1]}'")
    if not (math.isfinite(value) and value > 0):
        raise ConversionError(65, f"{what}: expected a value > 0, found {value}")
    return value, parts[1]


def from_file(root, path, key, units, unit_of_parameter, what):
    """A TObjString '<value> <unit>' or a TParameter<...> (value in unit_of_parameter)."""
    if key not in root:
        raise ConversionError(65, f"{path}: {key}: no such object; expected the {what} as a TObjString or TParameter (or give it as an argument)")
    obj = root[key]
    cls = obj.classname
    if cls == "TObjString":
        return quantity(str(obj), units, f"{path}: {key}")
    if cls.startswith("TParameter"):
        return quantity(f"{obj.member('fVal')} {unit_of_parameter}", units, f"{path}: {key}")
    raise ConversionError(65, f"{path}: {key}: is a {cls}; expected a TObjString or TParameter holding the {what}")


def histogram(root, path, name, energy_unit):
    if name not in root:
        raise ConversionError(65, f"{path}: {name}: no such histogram; the file has {sorted(k.split(';')[0] for k in root.keys())}")
    h = root[name]
    if not h.classname.startswith("TH1"):
        raise ConversionError(65, f"{path}: {name}: is a {h.classname}; expected a one-dimensional histogram (TH1)")
    unit = energy_unit
    if unit is None:
        title = h.axis().member("fTitle") or ""
        if "[" in title and title.rstrip().endswith("]"):
            unit = title[title.rindex("[") + 1:-1].strip()
    if unit is None or unit.lower() not in ENERGY_UNITS:
        raise ConversionError(65, f"{path}: {name}: x-axis energy unit unknown (axis title '{h.axis().member('fTitle')}'); expected eV, keV or MeV in the title ('Energy [keV]') or --energy-unit")
    counts = h.values(flow=True)
    edges = h.axis().edges()
    if counts[0] != 0 or counts[-1] != 0:
        print(f"root2nmm: warning: {path}: {name}: under/overflow bins hold {counts[0]} and {counts[-1]} counts; dropped", file=sys.stderr)
    counts = counts[1:-1]
    for i, c in enumerate(counts):
        if not (math.isfinite(c) and c >= 0 and c == math.floor(c)):
            raise ConversionError(65, f"{path}: {name}: bin {i + 1} holds {c}; expected whole counts >= 0 (a weighted or scaled histogram is not a count spectrum)")
    return edges, counts, ENERGY_UNITS[unit.lower()]


def write_spectrum(out, source, name, edges, counts, energy_unit, live, mass):
    from astropy.io import fits
    import numpy as np
    table = fits.BinTableHDU.from_columns([
        fits.Column(name="E_LO", format="D", unit=energy_unit, array=np.asarray(edges[:-1], dtype=float)),
        fits.Column(name="E_HI", format="D", unit=energy_unit, array=np.asarray(edges[1:], dtype=float)),
        fits.Column(name="COUNTS", format="K", unit="count", array=np.asarray(counts, dtype=np.int64)),
    ], name="SPECTRUM")
    h = table.header
    h["LIVETIME"] = (live[0], "live time")
    h["TIMEUNIT"] = (live[1], "unit of LIVETIME")
    h["MASS"] = (mass[0], "detector mass")
    h["MASSUNIT"] = (mass[1], "unit of MASS")
    h["ORIGIN"] = ("root2nmm.py", "converted from ROOT with uproot")
    h["SRCROOT"] = (os.path.basename(source), "ROOT file")
    h["SRCHIST"] = (name, "histogram")
    folder = os.path.dirname(os.path.abspath(out))
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(out)}.tmp-", dir=folder)
        os.close(fd)
        fits.HDUList([fits.PrimaryHDU(), table]).writeto(tmp, overwrite=True, checksum=True)
        os.replace(tmp, out)
    except OSError as e:
        try:
            os.unlink(tmp)
        except (OSError, UnboundLocalError):
            pass
        raise ConversionError(73, f"{out}: cannot write output: {e.strerror or e}")


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__.split("\n\n", 1)[1],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("root", help="ROOT file with the two histograms")
    p.add_argument("--on", required=True, help="name of the reactor-ON TH1")
    p.add_argument("--off", required=True, help="name of the reactor-OFF TH1")
    p.add_argument("--out-on", required=True, help="output ON spectrum (FITS)")
    p.add_argument("--out-off", required=True, help="output OFF spectrum (FITS)")
    p.add_argument("--on-livetime", help="ON live time '<value> <s|h|d>' (default: the object --on-livetime-key)")
    p.add_argument("--off-livetime", help="OFF live time '<value> <s|h|d>' (default: the object --off-livetime-key)")
    p.add_argument("--on-livetime-key", default="livetime_on", help="TObjString/TParameter with the ON live time (default livetime_on)")
    p.add_argument("--off-livetime-key", default="livetime_off", help="TObjString/TParameter with the OFF live time (default livetime_off)")
    p.add_argument("--livetime-unit", choices=sorted(TIME_UNITS), default="s", help="unit of a TParameter live time (default s)")
    p.add_argument("--mass", help="detector mass '<value> <kg|g>' (default: the object --mass-key)")
    p.add_argument("--mass-key", default="mass", help="TObjString/TParameter with the mass (default mass)")
    p.add_argument("--mass-unit", choices=sorted(MASS_UNITS), default="kg", help="unit of a TParameter mass (default kg)")
    p.add_argument("--energy-unit", choices=["eV", "keV", "MeV"], help="x-axis unit (default: from the axis title, e.g. 'Energy [keV]')")
    args = p.parse_args(argv)
    try:
        import uproot
    except ImportError as e:
        raise ConversionError(70, f"root2nmm needs uproot and astropy ({e}); pip install -r scripts/interop-requirements.txt")
    if not os.path.exists(args.root):
        raise ConversionError(66, f"{args.root}: file not found")
    try:
        root = uproot.open(args.root)
    except Exception as e:  # uproot raises many kinds for a file that is not ROOT
        raise ConversionError(65, f"{args.root}: not a readable ROOT file ({type(e).__name__}: {e})")
    with root:
        mass = quantity(args.mass, MASS_UNITS, "--mass") if args.mass else \
            from_file(root, args.root, args.mass_key, MASS_UNITS, args.mass_unit, "mass")
        jobs = []
        for side, name, out, live_arg, live_key in [("ON", args.on, args.out_on, args.on_livetime, args.on_livetime_key),
                                                   ("OFF", args.off, args.out_off, args.off_livetime, args.off_livetime_key)]:
            live = quantity(live_arg, TIME_UNITS, f"--{side.lower()}-livetime") if live_arg else \
                from_file(root, args.root, live_key, TIME_UNITS, args.livetime_unit, f"{side} live time")
            edges, counts, unit = histogram(root, args.root, name, args.energy_unit)
            jobs.append((out, name, edges, counts, unit, live))
    for out, name, edges, counts, unit, live in jobs:   # write only when both read
        write_spectrum(out, args.root, name, edges, counts, unit, live, mass)


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except ConversionError as e:
        print(f"root2nmm: error: {e}", file=sys.stderr)
        sys.exit(e.status)
