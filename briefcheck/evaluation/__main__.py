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


def _cefr(data) -> dict | None:
    if not (data / "nt2-cefr").is_dir():
        return None
    from ..nlp import get_nlp
    from .cefr import evaluate_cefr

    return evaluate_cefr(data, get_nlp())


def _findings(data) -> dict | None:
    simplification = data / "amsterdam-simplification"
    if not simplification.is_dir():
        return None
    from .findings import evaluate_lexical, evaluate_pairs, rare_word_against_prevalence, word_list_coverage

    return {"pairs": evaluate_pairs(simplification / "pairs-dev.csv"),
            "lexical": evaluate_lexical(simplification / "lexical-dev.tsv"),
            "word_list_coverage": word_list_coverage(data / "reference-lexicons"),
            "rare_words_against_prevalence": rare_word_against_prevalence(data / "reference-lexicons")}


def _letter(data) -> dict | None:
    path = data / "letter-example" / "letter_pair.json"
    if not path.is_file():
        return None
    from .findings import evaluate_letter_example

    return evaluate_letter_example(path)


def _tone(data) -> dict | None:
    if not (data / "amsterdam-simplification").is_dir():
        return None
    from .tone import evaluate_tone

    return evaluate_tone(data)


def _letter_types(data) -> dict:
    """Needs no shared data: the letters are ours, in tests/data/letters."""
    from .tone import evaluate_letter_types

    return evaluate_letter_types()


def _anatomy(data) -> dict | None:
    path = data / "letter-example" / "letter_pair.json"
    if not path.is_file():
        return None
    from .anatomy import evaluate_anatomy

    return evaluate_anatomy(path, verbose=False)


def _rewrites(data) -> dict | None:
    pairs = data / "amsterdam-simplification" / "pairs-dev.csv"
    if not pairs.is_file():
        return None
    from .sari import evaluate_sari

    return evaluate_sari(pairs)


PARTS = {"pipeline": _pipeline, "lint": _lint, "cefr": _cefr, "findings": _findings, "letter": _letter,
         "tone": _tone, "letter_types": _letter_types, "anatomy": _anatomy, "rewrites": _rewrites}
#: Parts that run without ../shared/data.
OWN_DATA_PARTS = {"letter_types"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m briefcheck.evaluation", description=__doc__)
    parser.add_argument("parts", nargs="*", help=f"which parts: {', '.join(PARTS)} (default: all)")
    args = parser.parse_args(argv)
    unknown = [p for p in args.parts if p not in PARTS]
    if unknown:
        parser.error(f"unknown part(s): {', '.join(unknown)}")
    data = shared_data_dir()
    for name in args.parts or PARTS:
        if name not in OWN_DATA_PARTS and not data.is_dir():
            print(f"{name}: skipped (no shared data at {data}; set BRIEFCHECK_DATA)")
            continue
        result = PARTS[name](data)
        if result is None:
            print(f"{name}: skipped (data not found under {data})")
        else:
            print(f"{name}: {json.dumps(result, ensure_ascii=False, indent=2)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
