"""Whole template folders: ``briefcheck batch DIR``.

Flow (the parent never loads the language pipeline itself):

1. discover the letters under DIR (recursive; Word, text, Markdown; .odt/.rtf/.doc through
   LibreOffice when it is installed);
2. hash each file; a cache entry keyed by the file's sha256 and a fingerprint of everything that
   changes a report (briefcheck's code and rules, the settings) holds its report, so an unchanged
   folder is re-checked without starting a single worker;
3. the files that are not cached go to worker processes (spawned; each loads the pipeline once,
   on its first file). Each file runs under a time limit: a worker that exceeds it is killed and
   replaced, a worker that crashes is replaced; either way the file gets a row with a Dutch
   reason and the batch goes on;
4. the policy (briefcheck.toml: ``[policy]`` fail_on, target_level, max_lint_level, required
   parts per letter type) is applied to every report in the parent;
5. reports (``report_html``) and annotated Word copies (``--annotate``, made in the workers with
   ``briefcheck.annotate.annotate_docx``) are written.

Exit codes of ``briefcheck batch`` (also in ``--help`` and docs/batch.md): 0 every letter was
checked and passes the policy; 1 every file was checked and at least one letter fails the
policy; 2 usage error, or some files could not be checked (unreadable, skipped, timed out,
crashed) or a copy with comments could not be made. 2 wins over 1.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from .errors import BriefcheckError, ConfigError

EXIT_OK, EXIT_POLICY, EXIT_PROBLEMS = 0, 1, 2

#: Read directly by briefcheck's own format plugins.
NATIVE_SUFFIXES = (".docx", ".dotx", ".docm", ".txt", ".md")
#: Read after LibreOffice (headless) converted them to .docx.
CONVERT_SUFFIXES = (".odt", ".rtf", ".doc")
WORD_SUFFIXES = (".docx", ".dotx", ".docm")
ALL_SUFFIXES = NATIVE_SUFFIXES + CONVERT_SUFFIXES

DEFAULT_TIMEOUT_S = 120.0
#: Version of the cache layout; bump when the stored entry changes.
CACHE_VERSION = "batch-1"
DEFAULT_ANNOTATOR = "briefcheck.annotate:annotate_docx"
TOP_FOLDER = "(hoofdmap)"

#: Statuses of a file in the batch.
CHECKED, UNREADABLE, SKIPPED, TIMEOUT, CRASHED = "gecontroleerd", "niet_gelezen", "overgeslagen", "te_lang", "vastgelopen"
PROBLEM_STATUSES = (UNREADABLE, SKIPPED, TIMEOUT, CRASHED)
STATUS_LABELS = {
    CHECKED: "gecontroleerd",
    UNREADABLE: "niet gelezen",
    SKIPPED: "overgeslagen",
    TIMEOUT: "duurde te lang",
    CRASHED: "vastgelopen",
}

# -- Dutch messages ------------------------------------------------------------------------------------
NO_LIBREOFFICE = ("Dit bestand ({suffix}) is niet gecontroleerd, want LibreOffice is niet geïnstalleerd. "
                  "Installeer LibreOffice, of sla de brief op als Word-bestand (.docx).")
CONVERT_FAILED = ("LibreOffice kon dit bestand niet omzetten naar Word. Het is mogelijk beschadigd of "
                  "beveiligd met een wachtwoord. Open het en sla het opnieuw op als .docx.")
TIMEOUT_REASON = ("Het controleren duurde langer dan {seconds} seconden en is gestopt. Is de brief erg lang? "
                  "Probeer het opnieuw met een hogere --timeout, of controleer de brief los.")
CRASH_REASON = ("briefcheck liep vast op dit bestand en heeft het overgeslagen ({kind}). "
                "Meld dit bij de beheerder van briefcheck.")
TOO_BIG = "Het bestand is te groot ({mb} MB). briefcheck leest bestanden tot {limit} MB."
CANNOT_OPEN = "Het bestand {name} kan niet worden geopend ({reason})."
NO_ANNOTATOR = ("Kopieën met opmerkingen (--annotate) kan deze versie van briefcheck nog niet maken: "
                "het onderdeel daarvoor ontbreekt.")
ANNOTATE_FAILED = "De kopie met opmerkingen kon niet worden gemaakt ({kind}). Het origineel is niet veranderd."
NOT_WORD = "Geen Word-bestand: van tekstbestanden maakt briefcheck geen kopie met opmerkingen."


# =====================================================================================================
# Policy: the extra tables of briefcheck.toml that the batch (and the pre-send check) apply.
# =====================================================================================================
CEFR_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")
#: The key in [policy.required] whose parts every letter needs.
ALL_LETTERS = "all"


@dataclass(frozen=True)
class BatchPolicy:
    """What ``load_settings`` does not read: target level, required parts, batch options.

    ``[policy] target_level`` (A1…C2): the letter may be at most this level; for B1 the calibrated
    B1 test of the readability details decides. ``[policy] max_lint_level`` (1–4). ``[policy.required]``:
    per letter type the parts (anatomy items) a letter must have, ``all`` for every letter.
    ``[batch] exclude``: glob patterns of files or folders to leave out; ``[batch] timeout``:
    seconds per file; ``[batch.letter_types]``: glob pattern → letter type (before automatic recognition).
    """

    target_level: str | None = None
    max_lint_level: int | None = None
    required: dict[str, tuple[str, ...]] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()
    timeout: float | None = None
    letter_types: tuple[tuple[str, str], ...] = ()
    source: Path | None = None

    def fingerprint(self) -> str:
        return json.dumps([self.target_level, self.max_lint_level, sorted(self.required.items()),
                           list(self.letter_types)], sort_keys=True)


def _string_list(value, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f'{where} moet een lijst met namen zijn, bijvoorbeeld ["aanhef", "contact"].')
    return tuple(v.strip() for v in value)


def load_batch_policy(path: Path | str | None) -> BatchPolicy:
    """The extra policy tables of the briefcheck.toml at ``path`` (None: no file, defaults)."""
    if path is None:
        return BatchPolicy()
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"Het beleidsbestand {path} bestaat niet.") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: fout in het beleidsbestand: {error}") from None
    policy = data.get("policy", {})
    batch = data.get("batch", {})
    if not isinstance(policy, dict) or not isinstance(batch, dict):
        raise ConfigError(f"{path}: [policy] en [batch] moeten tabellen zijn.")

    target = policy.get("target_level")
    if target is not None:
        if not isinstance(target, str) or target.strip().upper() not in CEFR_LEVELS:
            raise ConfigError(f"{path}: policy.target_level moet een van {', '.join(CEFR_LEVELS)} zijn, "
                              f"bijvoorbeeld \"B1\".")
        target = target.strip().upper()
    max_lint = policy.get("max_lint_level")
    if max_lint is not None and (isinstance(max_lint, bool) or not isinstance(max_lint, int) or not 1 <= max_lint <= 4):
        raise ConfigError(f"{path}: policy.max_lint_level moet een getal van 1 tot en met 4 zijn.")

    required_table = policy.get("required", {})
    if not isinstance(required_table, dict):
        raise ConfigError(f'{path}: [policy.required] moet een tabel zijn, bijvoorbeeld: all = ["contact"].')
    required = {str(kind).strip().lower(): _string_list(items, f"{path}: policy.required.{kind}")
                for kind, items in required_table.items()}

    known_batch = {"exclude", "timeout", "letter_types"}
    unknown = sorted(set(batch) - known_batch)
    if unknown:
        raise ConfigError(f"{path}: [batch] kent de instelling {', '.join(unknown)} niet "
                          f"(mogelijk: {', '.join(sorted(known_batch))}).")
    exclude = _string_list(batch.get("exclude", []), f"{path}: batch.exclude") if "exclude" in batch else ()
    timeout = batch.get("timeout")
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0):
        raise ConfigError(f"{path}: batch.timeout moet een aantal seconden zijn, bijvoorbeeld 120.")
    types = batch.get("letter_types", {})
    if not isinstance(types, dict) or not all(isinstance(v, str) and v.strip() for v in types.values()):
        raise ConfigError(f'{path}: [batch.letter_types] koppelt mappen aan een briefsoort, '
                          f'bijvoorbeeld: "Vergunningen/**" = "besluit".')
    return BatchPolicy(
        target_level=target,
        max_lint_level=max_lint,
        required=required,
        exclude=exclude,
        timeout=float(timeout) if timeout is not None else None,
        letter_types=tuple((pattern, kind.strip().lower()) for pattern, kind in types.items()),
        source=path,
    )


def _glob_regex(pattern: str) -> re.Pattern:
    """A glob on '/'-separated relative paths: ``**`` any folders, ``*`` within a name. A pattern
    without '/' matches a file or folder name at any depth (as in .gitignore)."""
    pattern = pattern.replace("\\", "/").strip("/")
    if "/" not in pattern:
        pattern = "**/" + pattern
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    # a pattern that names a folder also covers everything in it
    return re.compile("".join(out) + "(?:/.*)?", re.IGNORECASE)


def path_matches(rel: str, patterns: Iterable[str]) -> str | None:
    """The first pattern that matches the relative path ``rel``, or None."""
    for pattern in patterns:
        if _glob_regex(pattern).fullmatch(rel):
            return pattern
    return None


# -- anatomy details (written by briefcheck.anatomy; read tolerantly, it may not exist) ------------------
_PRESENT_VALUES = {True, "present", "aanwezig", "ok", "yes", "ja", "found", "pass", "passed"}


def anatomy_facts(details: dict) -> tuple[str | None, dict[str, bool] | None]:
    """(letter type, {item id or label (lower case): present}) from ``details["anatomy"]``; None when
    the report has no anatomy checklist."""
    anatomy = details.get("anatomy") if isinstance(details, dict) else None
    if not isinstance(anatomy, dict):
        return None, None
    kind = next((anatomy[k] for k in ("letter_type", "type", "kind", "briefsoort") if isinstance(anatomy.get(k), str)), None)
    if isinstance(anatomy.get("letter_type"), dict):  # {"id": ..., "label": ...}
        kind = anatomy["letter_type"].get("id") or anatomy["letter_type"].get("label")
    items = anatomy.get("items", anatomy.get("checklist", anatomy.get("parts")))
    facts: dict[str, bool] = {}

    def present(value) -> bool:
        if isinstance(value, dict):
            for key in ("present", "found", "ok", "passed", "status", "state"):
                if key in value:
                    return present(value[key])
            return False
        return value in _PRESENT_VALUES or (isinstance(value, str) and value.lower() in _PRESENT_VALUES)

    if isinstance(items, dict):
        for name, value in items.items():
            facts[str(name).lower()] = present(value)
            if isinstance(value, dict) and isinstance(value.get("label"), str):
                facts.setdefault(value["label"].lower(), present(value))
    elif isinstance(items, list):
        for item in items:
            if not isinstance(item, dict):
                continue
            flag = present(item)
            for key in ("id", "key", "code", "name", "label"):
                if isinstance(item.get(key), str):
                    facts.setdefault(item[key].lower(), flag)
    else:
        return (kind.lower() if kind else None), None
    return (kind.lower() if kind else None), facts


def letter_type_for(rel: str, details: dict, policy: BatchPolicy) -> str | None:
    for pattern, kind in policy.letter_types:
        if path_matches(rel, [pattern]):
            return kind
    kind, _ = anatomy_facts(details)
    return kind


def policy_reasons(report: dict, settings, policy: BatchPolicy, letter_type: str | None = None) -> tuple[bool, list[str]]:
    """Whether a report (``Report.to_dict()``) passes the whole policy, with the Dutch reasons.

    Severity (``fail_on``, via ``analyzer.evaluate_policy``), target level, LiNT-II level and required
    parts. A requirement that cannot be judged (too little text, no anatomy checklist) does not fail the
    letter; the report says so in its notices instead."""
    from .analyzer import evaluate_policy
    from .findings import Finding

    findings = [Finding.from_dict(f) for f in report.get("findings", [])]
    verdict = evaluate_policy(findings, settings)
    reasons = list(verdict.reasons)
    details = report.get("details") or {}
    readability = details.get("readability") or {}
    cefr = readability.get("cefr") or {}
    if policy.target_level:
        level = cefr.get("level")
        b1 = cefr.get("b1") or {}
        if policy.target_level == "B1" and b1.get("passed") is not None:
            if not b1["passed"]:
                reasons.append(f"Taalniveau: het beleid vraagt B1. {b1.get('verdict', '')}".strip())
        elif level in CEFR_LEVELS and CEFR_LEVELS.index(level) > CEFR_LEVELS.index(policy.target_level):
            reasons.append(f"Taalniveau: de brief is naar schatting {level}; het beleid vraagt hoogstens "
                           f"{policy.target_level}.")
    if policy.max_lint_level:
        lint = readability.get("lint") or {}
        if isinstance(lint.get("level"), int) and lint["level"] > policy.max_lint_level:
            reasons.append(f"LiNT-II: de tekst heeft niveau {lint['level']} van 4; het beleid vraagt hoogstens "
                           f"niveau {policy.max_lint_level}.")
    if policy.required:
        _, facts = anatomy_facts(details)
        kinds = [ALL_LETTERS] + ([letter_type] if letter_type and letter_type != ALL_LETTERS else [])
        needed = [item for kind in kinds for item in policy.required.get(kind, ())]
        if facts is not None:
            for item in dict.fromkeys(needed):
                if item.lower() not in facts:
                    reasons.append(f"Opbouw: het onderdeel '{item}' uit het beleid kent briefcheck niet. "
                                   f"Controleer de naam in [policy.required].")
                elif not facts[item.lower()]:
                    soort = f" in een brief van de soort '{letter_type}'" if letter_type else ""
                    reasons.append(f"Opbouw: het onderdeel '{item}' ontbreekt; het beleid vraagt dit{soort}.")
    return not reasons, reasons


def policy_notices(report: dict, policy: BatchPolicy) -> list[str]:
    """What the policy asks but could not be judged for this letter (Dutch)."""
    notices = []
    details = report.get("details") or {}
    cefr = ((details.get("readability") or {}).get("cefr") or {})
    if policy.target_level and cefr.get("level") is None:
        notices.append("Het taalniveau is niet beoordeeld: de brief heeft te weinig gewone zinnen.")
    if policy.required and anatomy_facts(details)[1] is None:
        notices.append("De opbouw van de brief is niet beoordeeld: deze versie van briefcheck kan de onderdelen "
                       "van een brief nog niet herkennen.")
    return notices


def letter_verdict(report: dict, settings, policy: BatchPolicy, rel: str = "") -> dict:
    """The verdict of one letter under the whole policy, as ``Report.to_dict()['verdict']`` plus
    ``letter_type`` and ``notices``. For ``briefcheck check --policy`` and the HTTP API."""
    kind = letter_type_for(rel or report.get("source", {}).get("name", ""), report.get("details") or {}, policy)
    passed, reasons = policy_reasons(report, settings, policy, kind)
    return {"passed": passed, "fail_on": settings.fail_on, "reasons": reasons,
            "letter_type": kind, "notices": policy_notices(report, policy)}



def apply_policy(report, settings, name: str = "") -> None:
    """Judge a report by the whole policy file (target level, LiNT-II level, required parts), as a
    batch does, and put that verdict and its notices in the report (``check --policy``, the API)."""
    from .findings import Verdict

    verdict = letter_verdict(report.to_dict(), settings, load_batch_policy(settings.source), name)
    report.verdict = Verdict(verdict["passed"], verdict["fail_on"], verdict["reasons"])
    report.notices = list(report.notices) + [n for n in verdict["notices"] if n not in report.notices]

# =====================================================================================================
# Discovery
# =====================================================================================================
@dataclass
class FileEntry:
    path: Path
    rel: str  # '/'-separated, relative to the batch folder
    suffix: str

    @property
    def department(self) -> str:
        parts = self.rel.split("/")
        return parts[0] if len(parts) > 1 else TOP_FOLDER


def _skip_name(name: str) -> bool:
    # hidden files, Word's lock files (~$brief.docx), temporary files
    return name.startswith((".", "~$", "~")) or name in ("__MACOSX", "Thumbs.db", "desktop.ini")


def discover(root: Path, exclude: Iterable[str] = (), skip_dirs: Iterable[Path] = ()) -> tuple[list[FileEntry], int]:
    """Letter files under ``root`` in path order, and the number of other files left alone."""
    root = root.resolve()
    skip = {p.resolve() for p in skip_dirs}
    exclude = tuple(exclude)
    found: list[FileEntry] = []
    others = 0
    for current, dirs, files in os.walk(root):
        current_path = Path(current)
        kept = []
        for d in sorted(dirs):
            full = current_path / d
            rel = full.relative_to(root).as_posix()
            if _skip_name(d) or full.resolve() in skip or (exclude and path_matches(rel, exclude)):
                continue
            kept.append(d)
        dirs[:] = kept
        for name in sorted(files):
            if _skip_name(name):
                continue
            full = current_path / name
            rel = full.relative_to(root).as_posix()
            suffix = full.suffix.lower()
            if suffix not in ALL_SUFFIXES:
                if name != "briefcheck.toml":
                    others += 1
                continue
            if exclude and path_matches(rel, exclude):
                continue
            if not full.is_file():
                continue
            found.append(FileEntry(full, rel, suffix))
    found.sort(key=lambda e: [part.lower() for part in e.rel.split("/")])
    return found, others


# =====================================================================================================
# Fingerprint and cache
# =====================================================================================================
def _hash_files(digest, paths: Iterable[Path], base: Path | None = None, content: bool = True) -> None:
    for path in sorted(paths):
        try:
            stat = path.stat()
        except OSError:
            digest.update(f"missing:{path}".encode())
            continue
        name = path.relative_to(base).as_posix() if base else str(path)
        digest.update(name.encode() + b"\0")
        if content:
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        else:
            digest.update(f"{stat.st_size}:{stat.st_mtime_ns}".encode())


_code_fingerprint: str | None = None
#: Parts of briefcheck that never change a report (the command line, output formats, the batch
#: itself, the annotated copies, the evaluation): editing them keeps the cache.
_NOT_IN_REPORTS = frozenset({"cli.py", "batch.py", "report_html.py", "formatters.py", "annotate.py", "evaluation"})


def code_fingerprint() -> str:
    """Everything of briefcheck itself that can change a report: version, code, rules, pipeline,
    dependency versions, the system spelling dictionary."""
    global _code_fingerprint
    if _code_fingerprint is None:
        from importlib.metadata import PackageNotFoundError, version

        from . import __version__
        from .findings import REPORT_SCHEMA_VERSION
        from .rules import BUILTIN_RULES_DIR

        digest = hashlib.sha256(f"{CACHE_VERSION}|{__version__}|{REPORT_SCHEMA_VERSION}|{sys.version_info[:2]}".encode())
        for dist in ("spacy", "lint-ii", "textstat", "python-docx", "spylls"):
            try:
                digest.update(f"{dist}={version(dist)};".encode())
            except PackageNotFoundError:
                digest.update(f"{dist}=-;".encode())
        package = Path(__file__).resolve().parent
        code = [p for p in package.rglob("*") if p.is_file() and p.suffix in (".py", ".json", ".yaml", ".txt", ".cfg")
                and "pipeline" not in p.relative_to(package).parts and "__pycache__" not in p.parts
                and p.relative_to(package).as_posix() not in _NOT_IN_REPORTS
                and p.relative_to(package).parts[0] not in _NOT_IN_REPORTS]
        _hash_files(digest, code, package)
        pipeline = package / "pipeline"
        if pipeline.is_dir():  # model weights: size and time are enough (tens of MB)
            _hash_files(digest, [p for p in pipeline.rglob("*") if p.is_file()], package, content=False)
        if BUILTIN_RULES_DIR.is_dir():
            _hash_files(digest, [p for p in BUILTIN_RULES_DIR.rglob("*") if p.is_file()], BUILTIN_RULES_DIR)
        hunspell = Path("/usr/share/hunspell")
        if hunspell.is_dir():
            _hash_files(digest, list(hunspell.glob("nl*")), hunspell, content=False)
        _code_fingerprint = digest.hexdigest()
    return _code_fingerprint


def settings_fingerprint(settings) -> str:
    """The settings that change findings (not ``fail_on``: the verdict is recomputed from findings)."""
    digest = hashlib.sha256(code_fingerprint().encode())
    digest.update(json.dumps({"disabled": sorted(settings.disabled),
                              "limits": {k: settings.limits[k] for k in sorted(settings.limits)}},
                             sort_keys=True).encode())
    _hash_files(digest, [Path(p) for p in settings.rule_files])
    spelling = settings.spelling
    digest.update(repr((spelling.languagetool_url, spelling.timeout_s)).encode())
    dictionary_files = []
    if spelling.dictionary:
        stem = Path(spelling.dictionary).with_suffix("")
        dictionary_files = [stem.with_suffix(".dic"), stem.with_suffix(".aff")]
    _hash_files(digest, dictionary_files + [Path(p) for p in spelling.word_lists])
    return digest.hexdigest()


class ResultCache:
    """Results by key in ``<cache>/batch/<key[:2]>/<key>.json.gz`` (written atomically)."""

    def __init__(self, directory: Path | None = None, enabled: bool = True):
        from .lintdata import cache_dir

        self.directory = Path(directory) if directory else cache_dir() / "batch"
        self.enabled = enabled

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json.gz"

    def get(self, key: str) -> dict | None:
        if not self.enabled:
            return None
        try:
            with gzip.open(self._path(key), "rb") as handle:
                entry = json.loads(handle.read())
        except (OSError, EOFError, ValueError):
            return None
        return entry if isinstance(entry, dict) and entry.get("version") == CACHE_VERSION else None

    def put(self, key: str, entry: dict) -> None:
        if not self.enabled:
            return
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            data = gzip.compress(json.dumps({**entry, "version": CACHE_VERSION}, ensure_ascii=False).encode(),
                                 compresslevel=5)
            _write_atomic(path, data)
        except OSError:
            pass  # a cache that cannot be written only costs time

    def converted_path(self, sha: str) -> Path:
        return self.directory / "converted" / f"{sha}.docx"


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


# =====================================================================================================
# LibreOffice
# =====================================================================================================
def find_soffice() -> str | None:
    """The LibreOffice program (``BRIEFCHECK_SOFFICE`` overrides; "" there means: do not use it)."""
    override = os.environ.get("BRIEFCHECK_SOFFICE")
    if override is not None:
        return override or None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in (r"C:\Program Files\LibreOffice\program\soffice.exe",
                      "/Applications/LibreOffice.app/Contents/MacOS/soffice"):
        if Path(candidate).is_file():
            return candidate
    return None


class BulkConverter:
    """Converts many files in one LibreOffice run (its start-up costs seconds; a file then takes well
    under one), in a thread of the parent while the workers load the pipeline. Each result goes to
    the file's ``target``; a file that fails, or a run that exceeds its time, leaves no target, and
    the worker then converts that file on its own, under the per-file time limit."""

    CHUNK = 40

    def __init__(self, soffice: str, items: list[tuple[Path, Path]], work_dir: Path, timeout: float):
        import threading

        self.soffice, self.items, self.work_dir, self.timeout = soffice, items, work_dir, timeout
        self.process: subprocess.Popen | None = None
        self.stopped = False
        self.thread = threading.Thread(target=self._run, name="briefcheck-convert", daemon=True)

    def start(self) -> "BulkConverter":
        if self.items:
            self.thread.start()
        return self

    def busy(self) -> bool:
        return self.thread.is_alive()

    def stop(self) -> None:
        self.stopped = True
        self._kill()
        if self.thread.is_alive():
            self.thread.join(10)

    def _kill(self) -> None:
        process = self.process
        if process is not None and process.poll() is None:
            if hasattr(os, "killpg"):
                import signal

                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except OSError:
                    pass
            process.kill()

    def _run(self) -> None:
        profile = self.work_dir / "lo-profile-bulk"
        for first in range(0, len(self.items), self.CHUNK):
            if self.stopped:
                return
            chunk = self.items[first:first + self.CHUNK]
            staging = Path(tempfile.mkdtemp(dir=self.work_dir, prefix="bulk-"))
            names = {}
            for i, (source, target) in enumerate(chunk):
                staged = staging / f"f{i:04d}{source.suffix.lower()}"
                try:
                    shutil.copyfile(source, staged)
                except OSError:
                    continue
                names[staged.stem] = target
            command = [self.soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                       "--nolockcheck", "--nodefault", "--convert-to", "docx:MS Word 2007 XML",
                       "--outdir", str(staging / "out"), *sorted(str(staging / n) for n in os.listdir(staging))]
            try:
                self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                                stderr=subprocess.DEVNULL, start_new_session=True)
                self.process.wait(timeout=30 + self.timeout * len(names) / 4)
            except subprocess.TimeoutExpired:
                self._kill()
            except OSError:
                pass
            for stem, target in names.items():
                result = staging / "out" / f"{stem}.docx"
                if result.is_file() and result.stat().st_size > 0:
                    try:
                        target.parent.mkdir(parents=True, exist_ok=True)
                        _write_atomic(target, result.read_bytes())
                    except OSError:
                        pass
            shutil.rmtree(staging, ignore_errors=True)


def convert_to_docx(soffice: str, source: Path, work_dir: Path, timeout: float) -> bytes:
    """Convert ``source`` with LibreOffice headless; raises InputError (Dutch) when it fails."""
    from .errors import InputError

    profile = work_dir / "lo-profile"
    out_dir = Path(tempfile.mkdtemp(dir=work_dir, prefix="out-"))
    # a plain ASCII copy name: LibreOffice's command line is picky about some characters
    staged = out_dir / f"brief{source.suffix.lower()}"
    shutil.copyfile(source, staged)
    command = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--nolockcheck", "--nodefault", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out_dir),
               str(staged)]
    try:
        subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=timeout, check=False)
        result = out_dir / "brief.docx"
        if not result.is_file() or result.stat().st_size == 0:
            raise InputError(CONVERT_FAILED)
        return result.read_bytes()
    except subprocess.TimeoutExpired:
        raise InputError(CONVERT_FAILED) from None
    finally:
        shutil.rmtree(out_dir, ignore_errors=True)


# =====================================================================================================
# Worker side (runs in a spawned process)
# =====================================================================================================
def _load_callable(target: str) -> Callable:
    import importlib

    module_name, function_name = target.split(":")
    return getattr(importlib.import_module(module_name), function_name)


def _describe(error: BaseException) -> str:
    """A short English description for developers: the type only, never the message (it may hold
    letter text)."""
    return type(error).__name__


def _worker_main(conn, worker_id: int, settings, work_dir: str, soffice: str | None, annotator: str | None) -> None:
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"
    import signal
    import warnings

    warnings.simplefilter("ignore")
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops us
    except (ValueError, AttributeError):
        pass
    if hasattr(os, "setpgid"):
        try:
            os.setpgid(0, 0)  # our own process group: the parent can stop us with LibreOffice and all
        except OSError:
            pass
    try:  # the letters are never printed; keep stray library output off the user's terminal
        devnull = open(os.devnull, "w")
        sys.stdout = devnull
    except OSError:
        pass
    work = Path(work_dir) / f"worker-{worker_id}-{os.getpid()}"
    work.mkdir(parents=True, exist_ok=True)
    state: dict[str, Any] = {"warm": False}
    conn.send(("ready", worker_id))
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            break
        if task is None:
            break
        if task["analyze"] and not state["warm"]:
            conn.send(("loading", task["id"]))
            try:
                _warm_up(settings)
            except BaseException as error:  # noqa: BLE001 - no file can be checked: stop the batch
                conn.send(("fatal", task["id"], _warm_up_message(error)))
                break
            _freeze_heap()
            state["warm"] = True
        conn.send(("started", task["id"]))
        try:
            result = _run_task(task, settings, work, soffice, annotator)
        except BaseException as error:  # noqa: BLE001 - one file must never stop the worker
            result = {"status": CRASHED, "reason": CRASH_REASON.format(kind=_describe(error)),
                      "error": _describe(error), "cacheable": False}
        try:
            conn.send(("done", task["id"], result))
        except (EOFError, OSError, BrokenPipeError):
            break
    shutil.rmtree(work, ignore_errors=True)
    try:
        conn.close()
    finally:
        os._exit(0)  # skip the interpreter's slow clean-up of the pipeline


def _warm_up_message(error: BaseException) -> str:
    if isinstance(error, BriefcheckError):  # a broken rule file or setting: its own Dutch message
        return str(error)
    return (f"briefcheck kon het taalmodel of de regels niet laden ({_describe(error)}). Is briefcheck goed "
            "geïnstalleerd? Installeer het opnieuw of meld dit bij de beheerder.")


def _warm_up(settings) -> None:
    """Load the pipeline, rules, word lists and dictionary before the first file's clock starts."""
    from .analyzer import analyze
    from .formats import read_text
    from .nlp import get_nlp

    get_nlp()
    analyze(read_text("Beste mevrouw Jansen,\n\nWij hebben uw brief gekregen. Dank u wel.\n\n"
                      "Met vriendelijke groet,\n\nGemeente"), settings)


def _run_task(task: dict, settings, work: Path, soffice: str | None, annotator: str | None) -> dict:
    from .errors import InputError, RuleFileError

    path = Path(task["path"])
    started = time.perf_counter()
    result: dict[str, Any] = {"cacheable": True}
    try:
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != task["sha"]:
            raise InputError("Het bestand is veranderd terwijl briefcheck het controleerde. Probeer het opnieuw.")
        word_data = data
        if task["convert"]:
            converted = Path(task["converted_path"]) if task["converted_path"] else None
            if converted is not None and converted.is_file():
                word_data = converted.read_bytes()
            else:
                if not soffice:
                    raise InputError(NO_LIBREOFFICE.format(suffix=path.suffix.lower()))
                word_data = convert_to_docx(soffice, path, work, max(5.0, task["timeout"] * 0.8))
                if converted is not None:
                    try:
                        converted.parent.mkdir(parents=True, exist_ok=True)
                        _write_atomic(converted, word_data)
                    except OSError:
                        pass
        report_dict = task.get("report")
        if task["analyze"]:
            from .analyzer import analyze
            from .formats import read_bytes

            if task["convert"]:
                document = read_bytes(word_data, path.name, "docx")
            else:
                document = read_bytes(word_data, path.name)
            report = analyze(document, settings)
            report_dict = report.to_dict()
            result.update(status=CHECKED, report=report_dict, why=_why_texts(report, settings))
        else:
            result.update(status=CHECKED)
    except InputError as error:
        result.update(status=UNREADABLE, reason=str(error))
        return _timed(result, started)
    except RuleFileError as error:
        result.update(status="fatal", reason=str(error), cacheable=False)
        return _timed(result, started)
    result = _timed(result, started)
    if task.get("annotate_out"):
        result["annotation"] = _annotate(word_data, report_dict, Path(task["annotate_out"]), path, annotator, settings)
    return result


def _timed(result: dict, started: float) -> dict:
    result["seconds"] = round(time.perf_counter() - started, 3)
    return result


def _why_texts(report, settings) -> dict[str, str]:
    from .rules import get_rules

    rules = get_rules(settings.rule_files)
    why = {}
    for finding in report.findings:
        rule = rules.get(finding.code)
        if rule is not None and finding.code not in why:
            why[finding.code] = rule.why
    return why


_DOCUMENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_OTHER_MAIN_TYPES = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)


def _main_content_type(data: bytes) -> str | None:
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
    for kind in (_DOCUMENT_TYPE,) + _OTHER_MAIN_TYPES:
        if f'ContentType="{kind}"' in types:
            return kind
    return None


def _replace_main_content_type(data: bytes, old: str, new: str) -> bytes:
    """The same Word package with another content type for its main part (every other part is
    copied unchanged). Templates (.dotx) and macro documents (.docm) are annotated as a document
    and then given their own type back."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            blob = source.read(info)
            if info.filename == "[Content_Types].xml":
                blob = blob.replace(f'ContentType="{old}"'.encode(), f'ContentType="{new}"'.encode())
            target.writestr(info, blob, compress_type=info.compress_type)
    return out.getvalue()


def _annotate(data: bytes, report_dict: dict, out: Path, source: Path, annotator: str | None, settings) -> dict:
    """Write the annotated copy of one Word letter; returns {"status", "path", "comments", "skipped"}
    or {"status": "failed", "reason"} (Dutch)."""
    from .errors import InputError
    from .findings import Report

    try:
        if out.resolve() == source.resolve():  # never write over an original
            raise ValueError("output is the original")
        report = Report.from_dict(report_dict)
        main_type = _main_content_type(data)
        swapped = main_type in _OTHER_MAIN_TYPES
        word = _replace_main_content_type(data, main_type, _DOCUMENT_TYPE) if swapped else data
        comments = skipped = None
        if annotator:
            annotated = _load_callable(annotator)(word, report)
        else:
            from . import annotate as module
            from .rules import get_rules

            if hasattr(module, "annotate_docx_result"):
                outcome = module.annotate_docx_result(word, report, get_rules(settings.rule_files), name=source.name)
                annotated, comments, skipped = outcome.data, outcome.anchored, outcome.skipped
            else:
                annotated = module.annotate_docx(word, report)
        if not isinstance(annotated, (bytes, bytearray)) or not bytes(annotated[:2]) == b"PK":
            raise ValueError("annotator returned no Word package")
        annotated = bytes(annotated)
        if swapped:
            annotated = _replace_main_content_type(annotated, _DOCUMENT_TYPE, main_type)
        out.parent.mkdir(parents=True, exist_ok=True)
        _write_atomic(out, annotated)
        return {"status": "ok", "path": str(out), "comments": comments, "skipped": skipped}
    except InputError as error:
        return {"status": "failed", "reason": str(error), "error": "InputError"}
    except BaseException as error:  # noqa: BLE001
        return {"status": "failed", "reason": ANNOTATE_FAILED.format(kind=_describe(error)), "error": _describe(error)}


# =====================================================================================================
# Parent side: a pool of workers with a time limit per file
# =====================================================================================================
#: Set for the fork server only: it then loads the pipeline once, and every worker is forked from it.
PRELOAD_ENV = "BRIEFCHECK_BATCH_PRELOAD"


def worker_context(preload: bool):
    """How workers start. Where the platform has it, a fork server that loaded the pipeline once
    (``preload``): a worker then starts in milliseconds, shares the pipeline's memory, and a worker
    that is replaced after a time-out or crash costs nothing to start. Elsewhere (Windows): spawn,
    and each worker loads the pipeline itself."""
    import multiprocessing

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    from multiprocessing import forkserver

    ctx = multiprocessing.get_context("forkserver")
    server = forkserver._forkserver
    if getattr(server, "_forkserver_pid", None) is None:  # not running yet: start it now
        ctx.set_forkserver_preload([__name__])
        previous = os.environ.get(PRELOAD_ENV)
        if preload:
            os.environ[PRELOAD_ENV] = "1"
        try:
            forkserver.ensure_running()
        finally:
            if previous is None:
                os.environ.pop(PRELOAD_ENV, None)
            else:
                os.environ[PRELOAD_ENV] = previous
    return ctx


def _preload_fork_server() -> None:
    """Runs when the fork server imports this module (see ``worker_context``)."""
    if os.environ.pop(PRELOAD_ENV, None) != "1":
        return
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"
    try:
        import warnings

        warnings.simplefilter("ignore")
        from .config import Settings

        _warm_up(Settings())
    except BaseException:  # noqa: BLE001 - each worker then loads what it needs, with a clear error
        pass
    _freeze_heap()


def _freeze_heap() -> None:
    """Take what is loaded now (pipeline, rules, dictionary: ~10^5 long-lived objects) out of the
    garbage collector's sight. Each full collection would walk them all again, and in a forked worker
    that walk also writes to every page it shares with the fork server, copying them one by one."""
    import gc

    gc.collect()
    gc.freeze()


class _Worker:
    def __init__(self, ctx, worker_id: int, args: tuple):
        self.id = worker_id
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, worker_id, *args), daemon=True,
                                   name=f"briefcheck-batch-{worker_id}")
        self.process.start()
        child.close()
        self.ready = False
        self.task: dict | None = None
        self.deadline: float | None = None
        self.alive = True

    def send(self, task: dict) -> None:
        self.task = task
        self.deadline = None  # the clock starts when the worker says "started"
        self.conn.send(task)

    def stop(self, kill: bool = False) -> None:
        self.alive = False
        if kill:
            _kill_tree(self.process)
        else:
            try:
                self.conn.send(None)
            except (OSError, BrokenPipeError):
                pass
        try:
            self.conn.close()
        except OSError:
            pass


def _kill_tree(process) -> None:
    """Stop a worker and what it started (LibreOffice): it leads its own process group."""
    pid = process.pid
    if pid and hasattr(os, "killpg"):
        try:
            if os.getpgid(pid) == pid:
                import signal

                os.killpg(pid, signal.SIGKILL)
        except (OSError, ProcessLookupError):
            pass
    try:
        process.kill()
    except (OSError, AttributeError):
        pass
    process.join(5)


class WorkerPool:
    """Runs tasks on ``jobs`` spawned workers; ``on_done(task, result)`` for each task, in completion order."""

    def __init__(self, jobs: int, timeout: float, settings, work_dir: Path, soffice: str | None,
                 annotator: str | None, preload: bool = True):
        self.ctx = worker_context(preload)
        self.jobs = max(1, jobs)
        self.timeout = timeout
        self.args = (settings, str(work_dir), soffice, annotator)
        self.workers: list[_Worker] = []
        self.started = 0  # workers started (restarts included)
        self.first_result_at: float | None = None

    def _start(self) -> _Worker:
        worker = _Worker(self.ctx, self.started, self.args)
        self.started += 1
        self.workers.append(worker)
        return worker

    def run(self, tasks: list[dict], on_done: Callable[[dict, dict], None], on_event: Callable[[str], None] | None = None,
            hold: Callable[[dict], bool] | None = None) -> None:
        """``hold(task)``: not yet (e.g. LibreOffice is still converting it in bulk); asked again later."""
        from collections import deque
        from multiprocessing.connection import wait

        pending = deque(tasks)
        for _ in range(min(self.jobs, len(tasks))):
            self._start()
        try:
            while pending or any(w.task for w in self.workers if w.alive):
                live = [w for w in self.workers if w.alive]
                for worker in live:
                    if worker.ready and worker.task is None and pending:
                        task = next((t for t in pending if hold is None or not hold(t)), None)
                        if task is None:
                            break
                        pending.remove(task)
                        try:
                            worker.send(task)
                        except (OSError, BrokenPipeError):
                            pending.appendleft(task)
                            worker.task = None
                            self._replace(worker, pending)
                now = time.monotonic()
                deadlines = [w.deadline for w in live if w.deadline is not None]
                wait_for = min([max(0.0, d - now) for d in deadlines] + [1.0])
                handles = {}
                for worker in live:
                    handles[worker.conn] = worker
                    handles[worker.process.sentinel] = worker
                for handle in wait(list(handles), timeout=wait_for):
                    worker = handles[handle]
                    if not worker.alive:
                        continue
                    if handle is worker.conn:
                        self._receive(worker, on_done, on_event, pending)
                    elif not worker.process.is_alive():
                        # drain a result that arrived just before the process ended
                        while worker.alive and worker.conn.poll():
                            if not self._receive(worker, on_done, on_event, pending):
                                break
                        if worker.alive:
                            self._crashed(worker, on_done, pending)
                now = time.monotonic()
                for worker in [w for w in self.workers if w.alive and w.deadline is not None and now > w.deadline]:
                    task = worker.task
                    worker.stop(kill=True)
                    on_done(task, {"status": TIMEOUT, "reason": TIMEOUT_REASON.format(seconds=_seconds(self.timeout)),
                                   "cacheable": False})
                    if pending:
                        self._start()
        finally:
            self.close()

    def _receive(self, worker: _Worker, on_done, on_event, pending) -> bool:
        try:
            message = worker.conn.recv()
        except (EOFError, OSError):
            if worker.alive and not worker.process.is_alive():
                self._crashed(worker, on_done, pending)
            return False
        kind = message[0]
        if kind == "ready":
            worker.ready = True
        elif kind == "loading":
            if on_event:
                on_event("loading")
        elif kind == "fatal":
            raise BriefcheckError(message[2])
        elif kind == "started":
            worker.deadline = time.monotonic() + self.timeout
        elif kind == "done":
            task = worker.task
            worker.task, worker.deadline = None, None
            if self.first_result_at is None:
                self.first_result_at = time.monotonic()
            on_done(task, message[2])
        return True

    def _crashed(self, worker: _Worker, on_done, pending) -> None:
        task = worker.task
        code = worker.process.exitcode
        worker.stop(kill=True)
        if task is not None:
            kind = f"het proces stopte met code {code}" if code is not None else "het proces stopte"
            on_done(task, {"status": CRASHED, "reason": CRASH_REASON.format(kind=kind), "cacheable": False})
        elif not worker.ready:
            # a worker that dies before it is ready: do not loop for ever
            raise BriefcheckError("briefcheck kon de controle niet starten: een hulpproces stopte meteen "
                                  f"(code {code}). Probeer het opnieuw met --jobs 1.")
        if pending:
            self._start()

    def _replace(self, worker: _Worker, pending) -> None:
        worker.stop(kill=True)
        if pending:
            self._start()

    def close(self) -> None:
        for worker in self.workers:
            if worker.alive:
                worker.stop()
        deadline = time.monotonic() + 3
        for worker in self.workers:
            worker.process.join(max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                _kill_tree(worker.process)


def _seconds(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}".replace(".", ",")


# =====================================================================================================
# Progress on stderr
# =====================================================================================================
def duration_nl(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s" if minutes < 10 else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} uur {minutes} min"


class Progress:
    """A bar with the time left on a terminal; otherwise a plain line every 10 % (or every minute)."""

    def __init__(self, total: int, stream=None, enabled: bool = True):
        self.stream = stream or sys.stderr
        self.total = total
        self.done = 0
        self.enabled = enabled and total > 0
        self.tty = self.enabled and hasattr(self.stream, "isatty") and self.stream.isatty()
        self.started = time.monotonic()
        self.rate_from: float | None = None  # when the first file finished (pipeline loaded)
        self.rate_done = 0
        self.last_draw = 0.0
        self.last_line_pct = -1
        self.last_line_at = time.monotonic()
        self.status = ""

    def event(self, kind: str) -> None:
        if kind == "loading" and self.enabled and not self.status:
            self.status = "taalmodel laden"
            self._draw(force=True)

    def advance(self, count: int = 1) -> None:
        self.done += count
        now = time.monotonic()
        if self.rate_from is None:
            self.rate_from, self.rate_done = now, self.done
            self.status = ""
        if self.enabled:
            self._draw()

    def eta(self) -> float | None:
        if self.rate_from is None:
            return None
        elapsed = time.monotonic() - self.rate_from
        finished = self.done - self.rate_done
        if finished < 2 or elapsed <= 0:
            return None
        return (self.total - self.done) * elapsed / finished

    def _draw(self, force: bool = False) -> None:
        now = time.monotonic()
        eta = self.eta()
        if eta is None:
            left = self.status or "tijd schatten"
        elif self.done >= self.total:
            left = "klaar"
        else:
            left = f"nog ongeveer {duration_nl(eta)}" if eta >= 1 else "bijna klaar"
        if self.tty:
            if not force and now - self.last_draw < 0.2 and self.done < self.total:
                return
            self.last_draw = now
            width = 28
            filled = int(width * self.done / self.total)
            bar = "█" * filled + "░" * (width - filled)
            self.stream.write(f"\r\x1b[2KControleren [{bar}] {self.done}/{self.total} · {left}")
            self.stream.flush()
        else:
            pct = int(100 * self.done / self.total)
            if force or pct // 10 > self.last_line_pct // 10 or now - self.last_line_at > 60:
                self.last_line_pct, self.last_line_at = pct, now
                self.stream.write(f"briefcheck: {self.done} van {self.total} bestanden klaar ({pct} %), {left}.\n")
                self.stream.flush()

    def finish(self) -> None:
        if self.tty:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()


# =====================================================================================================
# The batch
# =====================================================================================================
@dataclass
class Row:
    """One file of the batch: how it went, its report and its verdict under the policy."""

    entry: FileEntry
    sha: str | None = None
    key: str | None = None
    status: str = CHECKED
    reason: str | None = None
    report: dict | None = None
    why: dict[str, str] = field(default_factory=dict)
    from_cache: bool = False
    seconds: float | None = None
    passed: bool | None = None
    reasons: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    letter_type: str | None = None
    annotation: dict | None = None  # {"status": "ok"|"failed"|"none", "path"|"reason"}

    @property
    def rel(self) -> str:
        return self.entry.rel

    @property
    def department(self) -> str:
        return self.entry.department

    @property
    def checked(self) -> bool:
        return self.status == CHECKED and self.report is not None

    def readability(self) -> dict:
        return ((self.report or {}).get("details") or {}).get("readability") or {}

    @property
    def lint_score(self) -> float | None:
        return (self.readability().get("lint") or {}).get("score")

    @property
    def lint_level(self) -> int | None:
        return (self.readability().get("lint") or {}).get("level")

    @property
    def cefr(self) -> str | None:
        return (self.readability().get("cefr") or {}).get("level")

    @property
    def b1(self) -> bool | None:
        return ((self.readability().get("cefr") or {}).get("b1") or {}).get("passed")

    @property
    def counts(self) -> dict[str, int]:
        return (self.report or {}).get("counts") or {"error": 0, "warning": 0, "suggestion": 0}


@dataclass
class BatchResult:
    root: Path
    rows: list[Row]
    others: int = 0
    seconds: float = 0.0
    workers_started: int = 0
    settings: Any = None
    policy: BatchPolicy = field(default_factory=BatchPolicy)
    report_dir: Path | None = None
    annotate_dir: Path | None = None
    soffice: str | None = None

    @property
    def checked(self) -> list[Row]:
        return [r for r in self.rows if r.checked]

    @property
    def problems(self) -> list[Row]:
        return [r for r in self.rows if r.status in PROBLEM_STATUSES]

    @property
    def failing(self) -> list[Row]:
        return [r for r in self.rows if r.checked and r.passed is False]

    @property
    def annotation_failures(self) -> list[Row]:
        return [r for r in self.rows if r.annotation and r.annotation.get("status") == "failed"]

    @property
    def from_cache(self) -> int:
        return sum(1 for r in self.rows if r.from_cache)

    @property
    def exit_code(self) -> int:
        if not self.rows or self.problems or self.annotation_failures:
            return EXIT_PROBLEMS
        return EXIT_POLICY if self.failing else EXIT_OK


def annotated_path(out_dir: Path, entry: FileEntry) -> Path | None:
    """Where the annotated copy of ``entry`` goes (mirrored folders); None for text files."""
    if entry.suffix in WORD_SUFFIXES:
        return out_dir / entry.rel
    if entry.suffix in CONVERT_SUFFIXES:
        return out_dir / (entry.rel + ".docx")  # brief.odt → brief.odt.docx
    return None


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def run_batch(root: Path | str, settings=None, policy: BatchPolicy | None = None, *, jobs: int | None = None,
              timeout: float | None = None, report_dir: Path | str | None = None,
              annotate_dir: Path | str | None = None, use_cache: bool = True, cache_dir: Path | None = None,
              progress: bool = True, progress_stream=None, annotator: str | None = None) -> BatchResult:
    """Check every letter under ``root``; see the module docstring. Raises BriefcheckError (Dutch) for
    usage errors (no folder, output folder is the input folder, ...)."""
    from .config import Settings

    started = time.perf_counter()
    root = Path(root)
    if not root.is_dir():
        raise BriefcheckError(f"De map {root} bestaat niet of is geen map.")
    settings = settings or Settings()
    policy = policy or BatchPolicy()
    timeout = timeout or policy.timeout or DEFAULT_TIMEOUT_S
    report_dir = Path(report_dir) if report_dir else None
    annotate_dir = Path(annotate_dir) if annotate_dir else None
    if annotate_dir is not None:
        if annotate_dir.resolve() == root.resolve() or _inside(root, annotate_dir):
            raise BriefcheckError("De map voor de kopieën met opmerkingen (--annotate) mag niet de map met de "
                                  "brieven zijn, en de brieven mogen er niet in staan. Kies een andere, lege map.")
        if annotator is None:
            import importlib.util

            if importlib.util.find_spec(DEFAULT_ANNOTATOR.split(":")[0]) is None:
                raise BriefcheckError(NO_ANNOTATOR)
    if report_dir is not None and report_dir.resolve() == root.resolve():
        raise BriefcheckError("De map voor het rapport (--report) mag niet de map met de brieven zijn.")
    if jobs is None:
        jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)

    skip_dirs = [d for d in (report_dir, annotate_dir) if d is not None]
    entries, others = discover(root, policy.exclude, skip_dirs)
    rows = [Row(entry) for entry in entries]
    soffice = find_soffice() if any(e.suffix in CONVERT_SUFFIXES for e in entries) else None
    cache = ResultCache(cache_dir, enabled=use_cache)
    fingerprint = settings_fingerprint(settings) if entries else ""

    from .formats import MAX_FILE_BYTES

    # -- hash, cache look-up ---------------------------------------------------------------------------
    to_analyze: dict[str, list[Row]] = {}
    for row in rows:
        entry = row.entry
        try:
            size = entry.path.stat().st_size
            if size > MAX_FILE_BYTES:
                row.status, row.reason = UNREADABLE, TOO_BIG.format(mb=round(size / 1024 / 1024),
                                                                    limit=MAX_FILE_BYTES // 1024 // 1024)
                continue
            data = entry.path.read_bytes()
        except OSError as error:
            row.status = UNREADABLE
            row.reason = CANNOT_OPEN.format(name=entry.path.name, reason=error.strerror or type(error).__name__)
            continue
        row.sha = hashlib.sha256(data).hexdigest()
        if entry.suffix in CONVERT_SUFFIXES and not soffice:
            row.status, row.reason = SKIPPED, NO_LIBREOFFICE.format(suffix=entry.suffix)
            continue
        # the format decides how a file is read (a .md is read as Markdown), so it is part of the key
        row.key = hashlib.sha256(f"{fingerprint}|{entry.suffix}|{row.sha}".encode()).hexdigest()
        cached = cache.get(row.key)
        if cached is not None:
            _apply(row, cached)
            row.from_cache = True
        else:
            to_analyze.setdefault(row.key, []).append(row)

    # -- tasks: analyse what is not cached; annotate every Word letter -----------------------------------
    tasks: list[dict] = []
    task_rows: dict[int, list[Row]] = {}

    def add_task(rows_for_task: list[Row], analyze: bool) -> None:
        first = rows_for_task[0]
        out = annotated_path(annotate_dir, first.entry) if annotate_dir else None
        task = {"id": len(tasks), "path": str(first.entry.path), "rel": first.rel, "sha": first.sha,
                "suffix": first.entry.suffix, "analyze": analyze, "timeout": timeout,
                "convert": first.entry.suffix in CONVERT_SUFFIXES,
                "converted_path": str(cache.converted_path(first.sha) if use_cache
                                      else converted_dir / f"{first.sha}.docx"),
                "annotate_out": str(out) if out else None,
                "report": None if analyze else first.report}
        tasks.append(task)
        task_rows[task["id"]] = rows_for_task

    work_holder = tempfile.TemporaryDirectory(prefix="briefcheck-batch-")
    work_dir = Path(work_holder.name)
    converted_dir = work_dir / "converted"
    # files that need LibreOffice last: they are converted in bulk while the others are checked
    for key, group in sorted(to_analyze.items(), key=lambda item: item[1][0].entry.suffix in CONVERT_SUFFIXES):
        add_task(group, analyze=True)
    if annotate_dir is not None:
        for row in rows:
            if row.from_cache and row.status == CHECKED and annotated_path(annotate_dir, row.entry):
                add_task([row], analyze=False)

    bar = Progress(len(tasks), progress_stream, enabled=progress)
    workers_started = 0
    try:
        if tasks:
            workers_started = _run_tasks(tasks, task_rows, jobs, timeout, settings, work_dir, soffice, annotator,
                                         cache, annotate_dir, bar)
    finally:
        work_holder.cleanup()

    # -- policy ----------------------------------------------------------------------------------------
    for row in rows:
        if annotate_dir is not None and row.annotation is None:
            out = annotated_path(annotate_dir, row.entry)
            if out is None and row.status == CHECKED:
                row.annotation = {"status": "none", "reason": NOT_WORD}
        if not row.checked:
            continue
        row.letter_type = letter_type_for(row.rel, row.report.get("details") or {}, policy)
        row.passed, row.reasons = policy_reasons(row.report, settings, policy, row.letter_type)
        row.notices = policy_notices(row.report, policy)

    result = BatchResult(root=root, rows=rows, others=others, workers_started=workers_started, settings=settings,
                         policy=policy, report_dir=report_dir, annotate_dir=annotate_dir, soffice=soffice)
    if report_dir is not None:
        from .report_html import write_reports

        write_reports(result, report_dir)
    result.seconds = time.perf_counter() - started
    return result


def _run_tasks(tasks: list[dict], task_rows: dict[int, list[Row]], jobs: int, timeout: float, settings,
               work_dir: Path, soffice: str | None, annotator: str | None, cache: ResultCache,
               annotate_dir: Path | None, bar: Progress) -> int:
    """Run the tasks on a worker pool (LibreOffice converting in bulk alongside); returns the number of
    workers started."""
    to_convert = [(Path(t["path"]), Path(t["converted_path"])) for t in tasks
                  if t["convert"] and not Path(t["converted_path"]).is_file()]
    converter = BulkConverter(soffice, to_convert, work_dir, timeout).start() if soffice and to_convert else None
    analyze = any(t["analyze"] for t in tasks)
    if analyze:
        bar.event("loading")
    pool = WorkerPool(min(jobs, len(tasks)), timeout, settings, work_dir, soffice, annotator, preload=analyze)

    def hold(task: dict) -> bool:
        return bool(task["convert"] and converter is not None and converter.busy())

    def on_done(task: dict, result: dict) -> None:
        if result.get("status") == "fatal":
            raise BriefcheckError(result.get("reason") or "")
        group = task_rows[task["id"]]
        if task["analyze"]:
            entry = {k: v for k, v in result.items() if k in ("status", "reason", "report", "why", "seconds")}
            if result.get("cacheable") and result.get("status") in (CHECKED, UNREADABLE):
                cache.put(group[0].key, entry)
            for row in group:
                _apply(row, entry)
        if "annotation" in result:
            group[0].annotation = result["annotation"]
            _copy_annotation(group, annotate_dir)
        elif annotate_dir is not None and result.get("status") in (TIMEOUT, CRASHED) and not task["analyze"]:
            group[0].annotation = {"status": "failed", "reason": result.get("reason")}
        bar.advance()

    try:
        pool.run(tasks, on_done, bar.event, hold=hold)
    finally:
        bar.finish()
        if converter is not None:
            converter.stop()
    return pool.started


def _apply(row: Row, entry: dict) -> None:
    row.status = entry.get("status", CRASHED)
    row.reason = entry.get("reason")
    row.report = entry.get("report")
    row.why = entry.get("why") or {}
    row.seconds = entry.get("seconds")


def _copy_annotation(group: list[Row], annotate_dir: Path | None) -> None:
    """Files with the same content share one analysis; each still gets its own annotated copy."""
    first = group[0]
    for row in group[1:]:
        if first.annotation and first.annotation.get("status") == "ok" and annotate_dir is not None:
            out = annotated_path(annotate_dir, row.entry)
            try:
                out.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(first.annotation["path"], out)
                row.annotation = {**first.annotation, "path": str(out)}
            except OSError as error:
                row.annotation = {"status": "failed", "reason": ANNOTATE_FAILED.format(kind=_describe(error))}
        else:
            row.annotation = first.annotation


# =====================================================================================================
# Command line
# =====================================================================================================
BATCH_EPILOG = """\
Uitkomst (exit code):
  0  alle brieven zijn gecontroleerd en voldoen aan het beleid
  1  alle bestanden zijn gecontroleerd, maar minstens één brief voldoet niet aan het beleid
  2  fout in de opdracht, of niet alles is gelukt: een bestand kon niet worden gelezen,
     is overgeslagen, duurde te lang of liet briefcheck vastlopen, of een kopie met
     opmerkingen kon niet worden gemaakt (2 gaat voor 1)

Bestanden: .docx, .dotx, .docm, .txt en .md; .odt, .rtf en .doc via LibreOffice (als dat
geïnstalleerd is, anders overgeslagen). Het beleid komt uit briefcheck.toml in de map, of uit
--policy. Uitkomsten worden bewaard per bestandsinhoud: een ongewijzigde map is snel opnieuw
gecontroleerd. Zie docs/batch.md.
"""


def add_arguments(parser) -> None:
    parser.add_argument("-h", "--help", action="help", help="toon deze uitleg")
    parser.add_argument("folder", metavar="MAP", help="de map met brieven (ook alle mappen daarin)")
    parser.add_argument("--report", metavar="MAP", default=None,
                        help="schrijf een rapport (HTML, CSV en JSON Lines) in deze map")
    parser.add_argument("--annotate", metavar="MAP", default=None,
                        help="maak in deze map een kopie van elke Word-brief met opmerkingen bij elke bevinding")
    parser.add_argument("--policy", metavar="BESTAND", default=None, help="pad naar briefcheck.toml (standaard: in de map met brieven)")
    parser.add_argument("--fail-on", choices=("suggestion", "warning", "error", "never"), default=None,
                        help="vanaf welke ernst een brief afkeurt (standaard: error, of uit briefcheck.toml)")
    parser.add_argument("--jobs", "-j", metavar="AANTAL", type=_positive_int, default=None,
                        help="aantal brieven tegelijk (standaard: alle processorkernen)")
    parser.add_argument("--timeout", metavar="SECONDEN", type=_positive_float, default=None,
                        help=f"hoogstens zoveel seconden per bestand (standaard: {int(DEFAULT_TIMEOUT_S)})")
    parser.add_argument("--no-cache", action="store_true", help="controleer alles opnieuw (gebruik de bewaarde uitkomsten niet)")
    parser.add_argument("--cache-dir", metavar="MAP", default=None,
                        help="waar briefcheck de uitkomsten bewaart (standaard: de map briefcheck/batch in "
                             "BRIEFCHECK_CACHE of ~/.cache)")
    parser.add_argument("--quiet", "-q", action="store_true", help="geen voortgang tonen")


def _positive_int(text: str) -> int:
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is geen heel getal") from None
    if value < 1:
        raise argparse.ArgumentTypeError("moet minstens 1 zijn")
    return value


def _positive_float(text: str) -> float:
    import argparse

    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is geen getal") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("moet meer dan 0 zijn")
    return value


def cmd_batch(args) -> int:
    from .config import load_settings

    root = Path(args.folder)
    if not root.is_dir():
        raise BriefcheckError(f"De map {root} bestaat niet of is geen map.")
    settings = load_settings(args.policy, search_dir=root).with_fail_on(args.fail_on)
    policy = load_batch_policy(settings.source)
    result = run_batch(root, settings, policy, jobs=args.jobs, timeout=args.timeout, report_dir=args.report,
                       annotate_dir=args.annotate, use_cache=not args.no_cache, progress=not args.quiet,
                       cache_dir=Path(args.cache_dir) if args.cache_dir else None)
    sys.stdout.write(summary_text(result))
    return result.exit_code


def summary_text(result: BatchResult) -> str:
    """The summary on stdout: counts, files with problems (with the Dutch reason), letters that fail
    the policy (with the rule codes, not the letter's words), where the report is."""
    rows = result.rows
    lines = [f"briefcheck batch: {len(rows)} {'bestand' if len(rows) == 1 else 'bestanden'} in {result.root}"]
    if not rows:
        lines.append("Er staan geen brieven in deze map (.docx, .dotx, .docm, .txt, .md, .odt, .rtf of .doc).")
        return "\n".join(lines) + "\n"
    checked = result.checked
    cached = result.from_cache
    skipped = sum(1 for r in rows if r.status == SKIPPED)
    unreadable = len(result.problems) - skipped
    lines.append(f"  gecontroleerd: {len(checked)} ({cached} uit eerdere controles)"
                 f"; niet gelezen: {unreadable}; overgeslagen: {skipped}")
    passing = sum(1 for r in checked if r.passed)
    lines.append(f"  voldoen aan het beleid: {passing}; voldoen niet: {len(result.failing)}")
    if result.others:
        lines.append(f"  andere bestanden (geen brief, niet bekeken): {result.others}")
    if result.problems:
        lines += ["", "Niet gecontroleerd:"]
        lines += [f"  {r.rel}: {r.reason}" for r in result.problems]
    if result.failing:
        lines += ["", "Voldoen niet aan het beleid:"]
        for row in result.failing:
            lines.append(f"  {row.rel}: {short_reasons(row.reasons)}")
    if result.annotation_failures:
        lines += ["", "Geen kopie met opmerkingen:"]
        lines += [f"  {r.rel}: {r.annotation.get('reason')}" for r in result.annotation_failures]
    lines.append("")
    if result.report_dir is not None:
        lines.append(f"Rapport: {result.report_dir / 'index.html'}")
    if result.annotate_dir is not None:
        made = sum(1 for r in rows if r.annotation and r.annotation.get("status") == "ok")
        lines.append(f"Kopieën met opmerkingen: {made}, in {result.annotate_dir}")
    lines.append(f"Klaar in {duration_nl(result.seconds) if result.seconds >= 1 else f'{result.seconds:.1f} s'.replace('.', ',')}.")
    return "\n".join(lines) + "\n"


def short_reasons(reasons: list[str]) -> str:
    """'BC101 (2×), BC318, taalniveau' — the kinds of reasons, without words from the letter."""
    from collections import Counter

    kinds: Counter = Counter()
    for reason in reasons:
        head = reason.split(" ", 1)[0]
        if re.fullmatch(r"[A-Z]{2,4}\d{3,4}", head):
            kinds[head] += 1
        else:
            kinds[reason.split(":", 1)[0].lower()] += 1
    return ", ".join(f"{k} ({n}×)" if n > 1 else k for k, n in kinds.items())


_preload_fork_server()
