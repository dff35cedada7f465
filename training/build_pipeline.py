"""Train briefcheck's Dutch pipeline from UD Dutch and write it into the package.

    python training/build_pipeline.py [--data ../shared/data/ud-dutch] [--epochs N]

Steps: convert CoNLL-U to spaCy's format (10 sentences a document, so the parser learns
sentence boundaries); weight the training sentences that follow the current UD annotation
(those with CGN XPOS tags: recent LassySmall and Alpino) three times, because the rest is the
2017 release whose conventions differ from the Alpino dev data; train with training/config.cfg, evaluate the best model on dev
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


def split_by_annotation(path: Path) -> tuple[str, str]:
    """Sentences with CGN XPOS tags (current UD annotation) and those without (2017 release)."""
    recent, older = [], []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        tokens = [line.split("\t") for line in block.splitlines() if line and not line.startswith("#")]
        (recent if any(t[4] != "_" for t in tokens) else older).append(block)
    return "\n\n".join(recent) + "\n\n", "\n\n".join(older) + "\n\n"


def weighted_corpus(corpus: Path, weight: int) -> None:
    import spacy
    from spacy.tokens import DocBin

    vocab = spacy.blank("nl").vocab
    recent = list(DocBin().from_disk(corpus / "train-recent.spacy").get_docs(vocab))
    older = list(DocBin().from_disk(corpus / "train-older.spacy").get_docs(vocab))
    weighted = DocBin()
    for doc in older + recent * weight:
        weighted.add(doc)
    weighted.to_disk(corpus / "train-weighted.spacy")
    print(f"training documents: {len(older)} older + {weight} x {len(recent)} recent")


def passive_lexicon(path: Path) -> dict[str, list[int]]:
    """For each participle that stands with 'zijn' in the training data: [passive, not passive]
    counts (aux:pass versus perfect-tense aux or copula). Read by the passive detector."""
    sys.path.insert(0, str(ROOT))
    from briefcheck.evaluation.pipeline import read_conllu

    counts: dict[str, list[int]] = {}
    for sentence in read_conllu(path):
        for token in sentence:
            if token["lemma"] != "zijn" or token["deprel"] not in ("aux:pass", "aux", "cop"):
                continue
            head = sentence[token["head"] - 1]
            if "VerbForm=Part" in head["feats"]:
                entry = counts.setdefault(head["lemma"].lower(), [0, 0])
                entry[0 if token["deprel"] == "aux:pass" else 1] += 1
    return dict(sorted(counts.items()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "ud-dutch")
    parser.add_argument("--output", type=Path, default=TRAINING / "output")
    parser.add_argument("--target", type=Path, default=TARGET)
    parser.add_argument("--skip-train", action="store_true", help="only evaluate and install output/model-best")
    parser.add_argument("--recent-weight", type=int, default=3,
                        help="how often the sentences in the current annotation (with XPOS) are repeated")
    parser.add_argument("overrides", nargs="*", help="extra spaCy config overrides, e.g. --training.max_epochs=20")
    args = parser.parse_args()

    corpus = TRAINING / "corpus"
    corpus.mkdir(exist_ok=True)
    if not args.skip_train:
        recent, older = split_by_annotation(args.data / "train.conllu")
        (corpus / "train-recent.conllu").write_text(recent, encoding="utf-8")
        (corpus / "train-older.conllu").write_text(older, encoding="utf-8")
        for source in (corpus / "train-recent.conllu", corpus / "train-older.conllu", args.data / "dev.conllu"):
            run(sys.executable, "-m", "spacy", "convert", str(source), str(corpus),
                "--converter", "conllu", "--n-sents", "10", "--merge-subtokens")
        weighted_corpus(corpus, args.recent_weight)
        run(sys.executable, "-m", "spacy", "train", str(TRAINING / "config.cfg"), "--output", str(args.output),
            "--paths.train", str(corpus / "train-weighted.spacy"), "--paths.dev", str(corpus / "dev.spacy"),
            *args.overrides)

    model = args.output / "model-best"
    if args.target.exists():
        shutil.rmtree(args.target)
    shutil.copytree(model, args.target)
    (args.target / "passive_lexicon.json").write_text(json.dumps(passive_lexicon(args.data / "train.conllu")))
    (args.target / "LICENSE").write_text(f"{CREDITS}\nLicence text: https://creativecommons.org/licenses/by-sa/4.0/legalcode\n")

    sys.path.insert(0, str(ROOT))
    from briefcheck.evaluation.pipeline import evaluate_pipeline
    from briefcheck.nlp import load_pipeline

    figures = evaluate_pipeline(load_pipeline(args.target), args.data / "dev.conllu")
    print(json.dumps(figures, indent=2))

    meta_path = args.target / "meta.json"
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
    size = sum(p.stat().st_size for p in args.target.rglob("*") if p.is_file())
    print(f"pipeline written to {args.target} ({size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
