"""Acceptance figures for the letter anatomy (issue #5) on the example letter pair.

``evaluate_anatomy(letter_example_path)``: for the official version (C1) and the B1 rewrite of
``letter-example/letter_pair.json``, the letter type, which items are present and missing (with
the place), the visual cues that are not fine, the anatomy findings, and the acceptance checks:
C1 is reported missing headings, a concrete date and a contact channel; B1 is complete on those.
"""
from __future__ import annotations

import json
from pathlib import Path

#: The acceptance items: (item or cue, where it is reported).
ACCEPTANCE = (("koppen", "visual"), ("concrete_datum", "items"), ("contact_kanaal", "items"))


def _version(text: str, name: str) -> dict:
    from ..analyzer import analyze
    from ..formats.text import document_from_text

    report = analyze(document_from_text(text, name))
    anatomy = report.details["anatomy"]
    items = {i["key"]: i for i in anatomy["items"]}
    visual = {c["key"]: c for c in anatomy["visual"]}
    return {
        "letter_type": anatomy["letter_type"],
        "complete": anatomy["complete"],
        "present": {k: i["where"] for k, i in items.items() if i["present"]},
        "missing": {k: ("verplicht" if i["required"] else "niet verplicht") for k, i in items.items()
                    if not i["present"]},
        "visual_not_ok": {k: c["evidence"] for k, c in visual.items() if c["ok"] is False},
        "findings": [f"{f.code} {f.location}: {f.text[:50]}" for f in report.findings
                     if f.category in ("opbouw", "opmaak")],
        "_ok": {key: (visual[key]["ok"] if where == "visual" else items[key]["present"]) for key, where in ACCEPTANCE},
    }


def evaluate_anatomy(letter_example_path: Path | str, verbose: bool = True) -> dict:
    """Items present/missing and visual cues for C1 and B1, and whether the acceptance holds."""
    letters = json.loads(Path(letter_example_path).read_text(encoding="utf-8"))
    result = {version: _version(letters[version], f"letter-{version}") for version in ("C1", "B1")}
    acceptance = {}
    for key, _where in ACCEPTANCE:
        acceptance[f"C1 mist {key}"] = result["C1"]["_ok"][key] is False
        acceptance[f"B1 heeft {key}"] = result["B1"]["_ok"][key] is True
    for version in result.values():
        del version["_ok"]
    result["acceptance"] = acceptance
    result["acceptance_met"] = all(acceptance.values())
    if verbose:
        for version in ("C1", "B1"):
            data = result[version]
            print(f"{version} ({data['letter_type']}, compleet: {'ja' if data['complete'] else 'nee'})")
            print("  aanwezig: " + ", ".join(f"{k} ({w})" for k, w in data["present"].items()))
            print("  ontbreekt: " + ", ".join(f"{k} ({r})" for k, r in data["missing"].items()))
            print("  beeld: " + (", ".join(data["visual_not_ok"]) or "in orde"))
        print("acceptatie: " + ", ".join(f"{k}: {'ja' if v else 'NEE'}" for k, v in acceptance.items()))
    return result


if __name__ == "__main__":  # pragma: no cover
    import sys

    from . import shared_data_dir

    path = Path(sys.argv[1]) if len(sys.argv) > 1 else shared_data_dir() / "letter-example" / "letter_pair.json"
    print(json.dumps(evaluate_anatomy(path, verbose=False), ensure_ascii=False, indent=2))
