"""Reads a HEPData record's YAML with PyYAML (as HEPData does) and lists numbers that came out
as strings: a value such as 1e-05 is a string in YAML 1.1, which the schema would accept for a
dependent value. Prints {"tables": N, "values": N, "strings": ["file: path", ...]} as JSON.

usage: hepdata_check.py DIR
"""
import json
import os
import sys

import yaml


def main():
    folder = sys.argv[1]
    docs = list(yaml.safe_load_all(open(os.path.join(folder, "submission.yaml"))))
    tables = [d for d in docs if d and "data_file" in d]
    strings, count = [], 0
    for t in tables:
        data = yaml.safe_load(open(os.path.join(folder, t["data_file"])))
        for i, var in enumerate(data["independent_variables"]):
            for j, v in enumerate(var["values"]):
                for key in ("low", "high", "value"):
                    if key in v:
                        count += 1
                        if isinstance(v[key], str) and var["header"]["name"] != "Quantity":
                            strings.append(f"{t['data_file']}: independent {i} row {j} {key} = {v[key]!r}")
        for i, var in enumerate(data["dependent_variables"]):
            for q in var.get("qualifiers", []):
                if isinstance(q["value"], str) and q["value"].replace(".", "", 1).replace("e-", "").replace("e+", "").isdigit():
                    strings.append(f"{t['data_file']}: qualifier {q['name']} = {q['value']!r}")
            for j, v in enumerate(var["values"]):
                count += 1
                if isinstance(v["value"], str) and v["value"] != "-":
                    strings.append(f"{t['data_file']}: dependent {i} row {j} value = {v['value']!r}")
                for e in v.get("errors", []):
                    if isinstance(e.get("symerror"), str):
                        strings.append(f"{t['data_file']}: dependent {i} row {j} symerror = {e['symerror']!r}")
    print(json.dumps({"tables": len(tables), "values": count, "strings": strings}))


if __name__ == "__main__":
    main()
