"""The thin layer between the views and the briefcheck library: read input, check, rewrite, export.

Views call these functions and render the result; nothing here stores or logs letter text.
"""
from __future__ import annotations

import io
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, is_dataclass
from pathlib import Path
from typing import Any, Iterable

from briefcheck.config import Settings
from briefcheck.errors import InputError
from briefcheck.findings import Finding, Report

#: File types the page and the API accept.
UPLOAD_SUFFIXES = (".docx", ".txt", ".md")
WRONG_TYPE = ("Dit soort bestand kan briefcheck niet lezen. Kies een Word-bestand (.docx) of een "
              "tekstbestand (.txt).")
NOTHING = "Plak de tekst van uw brief in het vak, of kies een bestand (.docx of .txt)."


@dataclass
class Upload:
    """An uploaded file, in memory only."""

    data: bytes
    name: str

    @property
    def is_docx(self) -> bool:
        return Path(self.name).suffix.lower() == ".docx"


def upload_from(file_storage) -> Upload | None:
    """The uploaded file of a form field, or None when no file was chosen."""
    if file_storage is None or not (file_storage.filename or "").strip():
        return None
    name = Path(file_storage.filename.replace("\\", "/")).name or "brief"
    data = file_storage.read()
    suffix = Path(name).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        from briefcheck.formats import format_for

        format_for(name)  # a clear message for .doc, .pdf, .odt, ...
        raise InputError(WRONG_TYPE)
    return Upload(data, name)


def read_input(text: str | None, upload: Upload | None):
    """The Document to check: the uploaded file if there is one, else the pasted text."""
    from briefcheck.formats import read_bytes, read_text

    if upload is not None:
        return read_bytes(upload.data, upload.name)
    if text is None or not text.strip():
        raise InputError(NOTHING)
    return read_text(text.replace("\r\n", "\n").replace("\r", "\n"))


#: One analysis at a time, always on the same thread: the spaCy pipeline (its tokenizer cache) and
#: the checks' caches are shared and not made for use from several threads at once. One thread
#: rather than a lock: glibc gives every thread that allocates its own memory arena and keeps each
#: arena at its peak, so analyses taking turns on waitress's 4 threads grew the process by ~67 MB
#: (measured, 60 analyses); on one thread the memory stays flat.
_analysis_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="briefcheck-analyse")


def _on_analysis_thread(function, *args):
    if threading.current_thread().name.startswith("briefcheck-analyse"):
        return function(*args)  # already there (a nested call)
    return _analysis_thread.submit(function, *args).result()


#: Worker processes for analyses (``briefcheck serve --workers``); None: the analysis thread above.
_worker_pool = None
#: A letter that takes longer than this in a worker process is given up (the worker is replaced).
WORKER_TIMEOUT_S = 120


def start_workers(count: int) -> None:
    """Run analyses in ``count`` worker processes, so a server uses every core.

    Call after ``warm_up`` and before serving: the workers are forked then and share the loaded
    pipeline and word lists with this process (copy-on-write) instead of loading their own."""
    global _worker_pool
    if count > 1 and _worker_pool is None:
        import multiprocessing

        _worker_pool = multiprocessing.get_context("fork").Pool(count)


def stop_workers() -> None:
    global _worker_pool
    if _worker_pool is not None:
        _worker_pool.terminate()
        _worker_pool.join()
        _worker_pool = None


def check(document, settings: Settings) -> Report:
    from briefcheck.analyzer import analyze

    if _worker_pool is not None:
        return _worker_pool.apply_async(analyze, (document, settings)).get(timeout=WORKER_TIMEOUT_S)
    return _on_analysis_thread(analyze, document, settings)


def rewrite_word(upload: Upload, settings: Settings):
    """The uploaded .docx with all suggestions applied inside the runs (formatting kept), and the
    rewrite (how many suggestions were applied)."""
    from briefcheck.rewrite import rewrite_docx_report
    from briefcheck.rules import get_rules

    return _on_analysis_thread(
        lambda: rewrite_docx_report(upload.data, settings, get_rules(settings.rule_files), name=upload.name))


def annotate(upload: Upload, report: Report, settings: Settings):
    """The uploaded .docx with a Word comment on every finding it can anchor."""
    from briefcheck.annotate import annotate_docx_result
    from briefcheck.rules import get_rules

    return annotate_docx_result(upload.data, report, get_rules(settings.rule_files), name=upload.name)


def rule_info(code: str, settings: Settings) -> dict[str, Any] | None:
    """What / why / better of a rule, with one wrong and one right example."""
    from briefcheck.rules import get_rules

    rule = get_rules(settings.rule_files).get(code)
    if rule is None:
        return None
    return {
        "why": " ".join(rule.why.split()),
        "better": " ".join((rule.better or "").split()),
        "wrong": rule.wrong[0].shown() if rule.wrong else "",
        "right": rule.right[0].shown() if rule.right else "",
    }


# -- rewriting ------------------------------------------------------------------------------------
def rewrite(text: str, findings: list[Finding], chosen: Iterable[tuple[int, int]] | None) -> dict[str, Any]:
    """Apply the chosen suggestions (``None``: the first suggestion of every finding).

    Uses ``briefcheck.rewrite.apply_suggestions`` (its overlap policy) and turns its result into JSON:
    ``{text, applied: [{finding, suggestion}], skipped: [{finding, suggestion, reason}], findings}``.
    """
    from briefcheck.rewrite import apply_suggestions

    chosen_list = None if chosen is None else [(int(i), int(j)) for i, j in chosen]
    # lone surrogates (JSON allows "\ud800") cannot be sent back as UTF-8; one for one, so offsets hold
    text = re.sub("[\ud800-\udfff]", "\ufffd", text)
    result = apply_suggestions(text, findings, chosen_list)
    return {
        "text": result.text,
        "applied": [_choice(item) for item in result.applied],
        "skipped": [_choice(item, with_reason=True) for item in result.skipped],
        "findings": [f.to_dict() if isinstance(f, Finding) else dict(f) for f in result.findings],
    }


def _choice(item: Any, with_reason: bool = False) -> dict[str, Any]:
    """One applied or skipped choice as {finding, suggestion[, reason]}, whatever shape the
    rewrite module gives it (a pair, a dict or an object)."""
    if is_dataclass(item) and not isinstance(item, type):
        item = asdict(item)
    if isinstance(item, dict):
        finding = item.get("finding", item.get("finding_index"))
        suggestion = item.get("suggestion", item.get("suggestion_index"))
        reason = item.get("reason", "")
    elif isinstance(item, (tuple, list)):
        finding = item[0] if len(item) > 0 else None
        suggestion = item[1] if len(item) > 1 else None
        reason = item[2] if len(item) > 2 else ""
    else:
        finding = getattr(item, "finding", getattr(item, "finding_index", None))
        suggestion = getattr(item, "suggestion", getattr(item, "suggestion_index", None))
        reason = getattr(item, "reason", "")
    finding = finding if isinstance(finding, int) else None
    suggestion = suggestion if isinstance(suggestion, int) else None
    out: dict[str, Any] = {"finding": finding, "suggestion": suggestion}
    if with_reason:
        out["reason"] = str(reason or "")
    return out


# -- exports ----------------------------------------------------------------------------------------
#: Characters XML 1.0 (and so Word) cannot hold.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def docx_from_text(text: str) -> bytes:
    """A plain Word document of the letter: a paragraph per block, line breaks kept."""
    import docx

    document = docx.Document()
    text = _XML_INVALID.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    blocks = text.split("\n\n")
    for block in blocks:
        paragraph = document.add_paragraph()
        lines = block.split("\n")
        for number, line in enumerate(lines):
            run = paragraph.add_run(line)
            if number < len(lines) - 1:
                run.add_break()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
