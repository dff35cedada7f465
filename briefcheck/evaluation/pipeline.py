"""Accuracy of our Dutch pipeline on UD Dutch dev: UPOS, LAS, sentence boundaries, passive voice."""
from __future__ import annotations

from pathlib import Path


def read_conllu(path: Path) -> list[list[dict]]:
    """Sentences of a CoNLL-U file as lists of token dicts (multiword ranges skipped)."""
    sentences, current = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if current:
                sentences.append(current)
                current = []
            continue
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        if "-" in cols[0] or "." in cols[0]:
            continue
        current.append({"id": int(cols[0]), "form": cols[1], "lemma": cols[2], "upos": cols[3],
                        "feats": cols[5], "head": int(cols[6]), "deprel": cols[7], "misc": cols[9]})
    if current:
        sentences.append(current)
    return sentences


def _sentence_text(sentence: list[dict]) -> str:
    parts = []
    for token in sentence:
        parts.append(token["form"])
        parts.append("" if "SpaceAfter=No" in token["misc"] else " ")
    return "".join(parts).strip()


def _f1(tp: int, fp: int, fn: int) -> dict:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def evaluate_tagging_parsing(nlp, sentences: list[list[dict]]) -> dict:
    """UPOS accuracy and LAS/UAS on gold tokens, as the CoNLL 2018 shared task scores them:
    punctuation included, LAS on the universal relation (``nmod:poss`` counts as ``nmod``).
    ``las_full_labels`` also demands the subtype."""
    from spacy.tokens import Doc

    total = upos = uas = las = las_full = lemma = 0
    statistical = [name for name, _ in nlp.pipeline if name != "briefcheck_cgn_tags"]
    docs = [Doc(nlp.vocab, words=[t["form"] for t in s]) for s in sentences]
    for name in statistical:
        docs = list(nlp.get_pipe(name).pipe(docs))
    for doc, gold in zip(docs, sentences):
        for token, g in zip(doc, gold):
            total += 1
            upos += token.pos_ == g["upos"]
            lemma += token.lemma_ == g["lemma"]
            head = 0 if token.head.i == token.i else token.head.i + 1
            if head == g["head"]:
                uas += 1
                predicted, gold_label = token.dep_.lower(), g["deprel"].lower()
                las += predicted.split(":")[0] == gold_label.split(":")[0]
                las_full += predicted == gold_label
    return {"tokens": total, "upos": round(upos / total, 4), "uas": round(uas / total, 4),
            "las": round(las / total, 4), "las_full_labels": round(las_full / total, 4),
            "lemma": round(lemma / total, 4)}


def evaluate_sentences(nlp, sentences: list[list[dict]], group: int = 10) -> dict:
    """Sentence-boundary F1 on raw text: every ``group`` gold sentences are joined into one text."""
    tp = fp = fn = 0
    for i in range(0, len(sentences), group):
        texts = [_sentence_text(s) for s in sentences[i:i + group]]
        gold_starts, offset = set(), 0
        for text in texts:
            gold_starts.add(offset)
            offset += len(text) + 1
        doc = nlp(" ".join(texts))
        predicted = {sent[0].idx for sent in doc.sents if sent.text.strip()}
        tp += len(gold_starts & predicted)
        fp += len(predicted - gold_starts)
        fn += len(gold_starts - predicted)
    return _f1(tp, fp, fn)


def evaluate_passive(nlp, sentences: list[list[dict]]) -> dict:
    """Sentence-level passive detection (our detector on our parse) against gold ``aux:pass``."""
    from ..checks.syntax import passive_auxiliaries

    tp = fp = fn = 0
    for sentence in sentences:
        gold = any(t["deprel"] == "aux:pass" for t in sentence)
        doc = nlp(_sentence_text(sentence))
        predicted = bool(passive_auxiliaries(doc))
        tp += gold and predicted
        fp += predicted and not gold
        fn += gold and not predicted
    result = _f1(tp, fp, fn)
    result["gold_passive_sentences"] = tp + fn
    result["sentences"] = len(sentences)
    return result


def evaluate_pipeline(nlp, dev_path: Path) -> dict:
    sentences = read_conllu(dev_path)
    return {
        "data": dev_path.name,
        "sentences": len(sentences),
        **evaluate_tagging_parsing(nlp, sentences),
        "sentence_boundaries": evaluate_sentences(nlp, sentences),
        "passive": evaluate_passive(nlp, sentences),
    }
