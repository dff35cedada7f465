"""Train briefcheck's Dutch pipeline from UD Dutch and write it into the package.

    python training/build_pipeline.py [--data ../shared/data/ud-dutch] [--epochs N]

Steps: convert CoNLL-U to spaCy's format (10 sentences a document, so the parser learns
sentence boundaries), train with training/config.cfg, evaluate the best model on dev
with briefcheck's own evaluation (UPOS, LAS, sentence F1, passive F1), write the figures,
licence and credits into the pipeline's meta.json, and copy it to briefcheck/pipeline/.
Deterministic for a given spaCy version and seed (config: system.seed).
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRAINING = ROOT / "training"
TARGET = ROOT / "briefcheck" / "pipeline" / "nl_briefcheck"

LICENSE = "CC BY-SA 4.0"
CREDITS = (
    "Trained on Universal Dependencies Dutch: UD_Dutch-LassySmall and UD_Dutch-Alpino "
    "(Gosse Bouma, Gertjan van Noord and contributors), CC BY-SA 4.0. This pipeline is shared "
    "alike under CC BY-SA 4.0."
)


def run(*command: str) -> None:
    print("+", " ".join(command), flush=True)
    subprocess.run(command, check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "ud-dutch")
    parser.add_argument("--output", type=Path, default=TRAINING / "output")
    parser.add_argument("--target", type=Path, default=TARGET)
    parser.add_argument("--skip-train", action="store_true", help="only evaluate and install output/model-best")
    parser.add_argument("overrides", nargs="*", help="extra spaCy config overrides, e.g. --training.max_epochs=20")
    args = parser.parse_args()

    corpus = TRAINING / "corpus"
    corpus.mkdir(exist_ok=True)
    if not args.skip_train:
        for split in ("train", "dev"):
            run(sys.executable, "-m", "spacy", "convert", str(args.data / f"{split}.conllu"), str(corpus),
                "--converter", "conllu", "--n-sents", "10", "--merge-subtokens")
        run(sys.executable, "-m", "spacy", "train", str(TRAINING / "config.cfg"), "--output", str(args.output),
            "--paths.train", str(corpus / "train.spacy"), "--paths.dev", str(corpus / "dev.spacy"),
            *args.overrides)

    model = args.output / "model-best"
    sys.path.insert(0, str(ROOT))
    from briefcheck.evaluation.pipeline import evaluate_pipeline
    from briefcheck.nlp import load_pipeline

    figures = evaluate_pipeline(load_pipeline(model), args.data / "dev.conllu")
    print(json.dumps(figures, indent=2))

    meta_path = model / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta.update({
        "name": "briefcheck", "version": "1.0.0", "license": LICENSE, "author": "briefcheck developers",
        "description": "Dutch pipeline for briefcheck (tokens, POS, morphology, lemmas, dependencies, sentences).",
        "sources": [{"name": "UD Dutch LassySmall", "license": LICENSE, "author": "Gosse Bouma, Gertjan van Noord"},
                    {"name": "UD Dutch Alpino", "license": LICENSE, "author": "Gosse Bouma, Gertjan van Noord"}],
        "notes": CREDITS,
        "briefcheck_evaluation": figures,
    })
    meta_path.write_text(json.dumps(meta, indent=2, ensure_ascii=False))
    if args.target.exists():
        shutil.rmtree(args.target)
    shutil.copytree(model, args.target)
    (args.target / "LICENSE").write_text(f"{CREDITS}\nLicence text: https://creativecommons.org/licenses/by-sa/4.0/legalcode\n")
    size = sum(p.stat().st_size for p in args.target.rglob("*") if p.is_file())
    print(f"pipeline written to {args.target} ({size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
