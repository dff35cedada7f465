"""``python -m briefcheck.evaluation [part ...]``: print every evaluation figure."""
from __future__ import annotations

import argparse
import json
import sys

from . import shared_data_dir


def _pipeline(data) -> dict | None:
    dev = data / "ud-dutch" / "dev.conllu"
    if not dev.is_file():
        return None
    from ..nlp import get_nlp
    from .pipeline import evaluate_pipeline

    return evaluate_pipeline(get_nlp(), dev)


def _lint(data) -> dict | None:
    reference = data / "lint-ii-reference"
    if not reference.is_dir():
        return None
    from ..nlp import get_nlp
    from .readability import evaluate_lint_reference

    return evaluate_lint_reference(get_nlp(), reference)


PARTS = {"pipeline": _pipeline, "lint": _lint}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m briefcheck.evaluation", description=__doc__)
    parser.add_argument("parts", nargs="*", help=f"which parts: {', '.join(PARTS)} (default: all)")
    args = parser.parse_args(argv)
    unknown = [p for p in args.parts if p not in PARTS]
    if unknown:
        parser.error(f"unknown part(s): {', '.join(unknown)}")
    data = shared_data_dir()
    if not data.is_dir():
        print(f"skipped: no shared data at {data} (set BRIEFCHECK_DATA)")
        return 0
    for name in args.parts or PARTS:
        result = PARTS[name](data)
        if result is None:
            print(f"{name}: skipped (data not found under {data})")
        else:
            print(f"{name}: {json.dumps(result, ensure_ascii=False, indent=2)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
