"""Reports of a batch (``briefcheck batch DIR --report OUT``): static HTML a communication adviser opens
from disk, and CSV / JSON Lines for their own spreadsheets.

Written into OUT:

* ``index.html``: overview (charts of LiNT-II levels and CEFR estimates, letters worst first, the most
  frequent findings, per department folder, files that could not be checked);
* ``brieven/<name>.html``: one page per letter with its text, highlights and suggestions;
* ``stijl.css``: the only style sheet (no external assets, no scripts);
* ``brieven.csv`` / ``brieven.jsonl``: one row per file; ``bevindingen.csv`` / ``bevindingen.jsonl``:
  one row per finding. CSV is for Dutch spreadsheets: separator ';', decimal comma, UTF-8 with BOM.

All text goes through Jinja2's autoescape; charts are inline SVG made here. Templates are kept in this
module (no data files to package).
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from markupsafe import Markup, escape

from .findings import place_of

if TYPE_CHECKING:  # pragma: no cover
    from .batch import BatchResult, Row

#: Findings on spans up to this long are about words or phrases; longer ones about sentences.
PHRASE_CHARS = 60
CEFR_ORDER = ("A1", "A2", "B1", "B2", "C1", "C2")
SEVERITY_ORDER = ("error", "warning", "suggestion")
COLOURS = {
    "lint": {1: "#2e7d32", 2: "#7cb342", 3: "#f9a825", 4: "#c62828", None: "#9e9e9e"},
    "cefr": {"A1": "#2e7d32", "A2": "#558b2f", "B1": "#7cb342", "B2": "#f9a825", "C1": "#ef6c00", "C2": "#c62828",
             None: "#9e9e9e"},
    "bar": "#1565c0",
}

TEMPLATE_COLUMNS = ["bestand", "afdeling", "formaat", "status", "reden", "beleid", "redenen", "briefsoort",
                    "lint_score", "lint_niveau", "cefr", "b1", "woorden", "zinnen", "fouten", "waarschuwingen",
                    "tips", "uit_cache", "pagina", "kopie"]
FINDING_COLUMNS = ["bestand", "afdeling", "nummer", "code", "regel", "categorie", "ernst", "melding", "woorden",
                   "plek", "begin", "eind", "suggestie", "waarom"]


# =====================================================================================================
# Small helpers
# =====================================================================================================
def number_nl(value: Any, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return f"{value:.{digits}f}".replace(".", ",")


def page_name(rel: str) -> str:
    """A file name for a letter's page: readable, unique, safe on every file system."""
    slug = re.sub(r"[^a-z0-9]+", "-", rel.lower()).strip("-")[:80] or "brief"
    return f"{slug}-{hashlib.sha1(rel.encode('utf-8')).hexdigest()[:8]}.html"


def _rel_link(target: Path, start: Path) -> str:
    """A relative URL from the folder ``start`` to ``target`` (for links between output folders)."""
    relative = os.path.relpath(target.resolve(), start.resolve())
    return "/".join(_quote(part) for part in Path(relative).parts)


def _quote(part: str) -> str:
    from urllib.parse import quote

    return quote(part)


def bar_chart(title: str, bars: list[tuple[str, float, str]], *, unit: str = "", max_value: float | None = None,
              width: int = 520, label_width: int = 150) -> Markup:
    """A horizontal bar chart as inline SVG: (label, value, colour) per bar."""
    bar_height, gap, top = 22, 8, 8
    height = top * 2 + len(bars) * (bar_height + gap)
    top_value = max_value or max([v for _, v, _ in bars] + [1])
    plot = width - label_width - 60
    title_id = "g-" + hashlib.sha1(title.encode()).hexdigest()[:8]
    parts = [f'<svg class="grafiek" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="{title_id}">',
             f'<title id="{title_id}">{escape(title)}</title>']
    for i, (label, value, colour) in enumerate(bars):
        y = top + i * (bar_height + gap)
        length = 0 if not top_value else max(0.0, plot * value / top_value)
        shown = number_nl(value) + unit
        short = label if len(label) <= 22 else label[:21] + "…"  # long folder names: full name in the tooltip
        parts.append(f'<text x="{label_width - 8}" y="{y + bar_height * 0.7:.1f}" text-anchor="end" '
                     f'class="label">{escape(short)}</text>')
        parts.append(f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_height}" '
                     f'fill="{escape(colour)}" rx="3"><title>{escape(label)}: {escape(shown)}</title></rect>')
        parts.append(f'<text x="{label_width + length + 6:.1f}" y="{y + bar_height * 0.7:.1f}" '
                     f'class="waarde">{escape(shown)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def highlight(text: str, findings: list[dict]) -> Markup:
    """The letter's text with every finding marked: words and phrases as <mark> (colour by severity),
    long spans (sentences) underlined, and a numbered link to the finding's explanation at its start."""
    rank = {"error": 3, "warning": 2, "suggestion": 1}
    events: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for number, finding in enumerate(findings, 1):
        start, end = max(0, finding["start"]), min(len(text), finding["end"])
        if end < start:
            continue
        events[start].append(("open", number))
        events[end].append(("close", number))
    points = sorted(set(events) | {0, len(text)})
    active: set[int] = set()
    out: list[str] = []
    for i, point in enumerate(points):
        for kind, number in events.get(point, ()):
            if kind == "close":
                active.discard(number)
        for kind, number in events.get(point, ()):
            if kind == "open":
                active.add(number)
                out.append(f'<a class="nr" id="m{number}" href="#b{number}">{number}</a>')
        if i + 1 == len(points):
            break
        piece = text[point:points[i + 1]]
        if not piece:
            continue
        # a finding about the whole letter keeps its numbered link, but underlines no words
        marked = [n for n in active if not findings[n - 1].get("whole_letter")]
        phrase = [n for n in marked if findings[n - 1]["end"] - findings[n - 1]["start"] <= PHRASE_CHARS]
        sentence = [n for n in marked if n not in phrase]
        html = str(escape(piece))
        if phrase:
            worst = max(phrase, key=lambda n: rank.get(findings[n - 1]["severity"], 0))
            codes = ", ".join(sorted({findings[n - 1]["code"] for n in phrase}))
            html = f'<mark class="ernst-{escape(findings[worst - 1]["severity"])}" title="{escape(codes)}">{html}</mark>'
        if sentence:
            worst = max(sentence, key=lambda n: rank.get(findings[n - 1]["severity"], 0))
            html = f'<span class="zin ernst-{escape(findings[worst - 1]["severity"])}">{html}</span>'
        out.append(html)
    return Markup("".join(out))


# =====================================================================================================
# Data for the pages
# =====================================================================================================
def _severity_label(severity: str) -> str:
    from .findings import SEVERITY_LABELS

    return SEVERITY_LABELS.get(severity, severity)


def _category_label(category: str) -> str:
    from .findings import CATEGORY_LABELS

    return CATEGORY_LABELS.get(category, category)


def _lint_label(level: int | None) -> str:
    from .readability import LEVEL_LABELS

    return f"{level} ({LEVEL_LABELS.get(level, '')})" if level else "–"


def _rank_key(row: "Row") -> tuple:
    """Worst first: fails the policy, then the hardest text (LiNT-II score), then errors and warnings."""
    counts = row.counts
    return (row.passed is False, row.lint_score if row.lint_score is not None else -1,
            counts.get("error", 0), counts.get("warning", 0), counts.get("suggestion", 0))


def _policy_lines(result: "BatchResult") -> list[str]:
    settings, policy = result.settings, result.policy
    lines = []
    fail_on = getattr(settings, "fail_on", "error")
    if fail_on == "never":
        lines.append("Bevindingen keuren een brief nooit af.")
    else:
        lines.append(f"Een brief voldoet niet bij een bevinding van de ernst '{_severity_label(fail_on)}' of hoger.")
    if policy.target_level:
        lines.append(f"Taalniveau: hoogstens {policy.target_level}.")
    if policy.max_lint_level:
        lines.append(f"LiNT-II: hoogstens niveau {policy.max_lint_level} van 4.")
    for kind, items in sorted(policy.required.items()):
        who = "elke brief" if kind == "all" else f"brieven van de soort '{kind}'"
        lines.append(f"Verplichte onderdelen voor {who}: {', '.join(items)}.")
    if getattr(settings, "disabled", None):
        lines.append(f"Uitgezette regels: {', '.join(sorted(settings.disabled))}.")
    if policy.source or getattr(settings, "source", None):
        lines.append(f"Beleidsbestand: {policy.source or settings.source}.")
    return lines


def template_record(row: "Row", page: str | None, copy: str | None) -> dict:
    """One row per file, with proper types (JSON Lines); the CSV writer formats it for spreadsheets."""
    counts = row.counts if row.checked else {}
    metrics = (row.report or {}).get("metrics") or {}
    return {
        "bestand": row.rel,
        "afdeling": row.department,
        "formaat": row.entry.suffix.lstrip("."),
        "status": row.status,
        "reden": row.reason,
        "beleid": None if not row.checked else ("voldoet" if row.passed else "voldoet niet"),
        "redenen": list(row.reasons),
        "briefsoort": row.letter_type,
        "lint_score": row.lint_score,
        "lint_niveau": row.lint_level,
        "cefr": row.cefr,
        "b1": row.b1,
        "woorden": metrics.get("words"),
        "zinnen": metrics.get("sentences"),
        "fouten": counts.get("error"),
        "waarschuwingen": counts.get("warning"),
        "tips": counts.get("suggestion"),
        "uit_cache": row.from_cache,
        "pagina": page,
        "kopie": copy,
    }


def finding_records(row: "Row") -> Iterable[dict]:
    for number, finding in enumerate((row.report or {}).get("findings", []), 1):
        yield {
            "bestand": row.rel,
            "afdeling": row.department,
            "nummer": number,
            "code": finding["code"],
            "regel": finding["name"],
            "categorie": finding["category"],
            "ernst": finding["severity"],
            "melding": finding["message"],
            "woorden": finding["text"],
            "plek": place_of(finding),
            "begin": finding["start"],
            "eind": finding["end"],
            "suggestie": " / ".join(s["replacement"] for s in finding.get("suggestions", []) if s.get("replacement")),
            "waarom": row.why.get(finding["code"], ""),
        }


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: Any) -> str:
    """A spreadsheet cell: decimal comma, ja/nee, lists joined; text that a spreadsheet would run as a
    formula gets a leading apostrophe (CSV injection)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float):
        return number_nl(value, 2) if not value.is_integer() else str(int(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        value = " | ".join(str(v) for v in value)
    text = str(value).replace("\r\n", " ").replace("\n", " ")
    return "'" + text if text.startswith(_FORMULA_START) else text


def _write_csv(path: Path, columns: list[str], records: Iterable[dict]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(columns)
    for record in records:
        writer.writerow([_csv_cell(record.get(c)) for c in columns])
    _write_if_changed(path, buffer.getvalue().encode("utf-8-sig"))


def _write_jsonl(path: Path, records: Iterable[dict]) -> None:
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    _write_if_changed(path, data.encode("utf-8"))


def _write_if_changed(path: Path, data: bytes) -> None:
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return
    except OSError:
        pass
    path.write_bytes(data)


# =====================================================================================================
# Templates
# =====================================================================================================
CSS = """\
:root { --tekst: #1a1a1a; --grijs: #5f6368; --lijn: #d0d7de; --achter: #f6f8fa; --blauw: #0b57d0;
        --fout: #c62828; --waarschuwing: #ef6c00; --tip: #1565c0; --goed: #2e7d32; }
* { box-sizing: border-box; }
body { font-family: "Segoe UI", Arial, Helvetica, sans-serif; font-size: 16px; line-height: 1.5;
       color: var(--tekst); margin: 0; background: #fff; }
header, main, footer { max-width: 1100px; margin: 0 auto; padding: 0 20px; }
header { padding-top: 20px; border-bottom: 1px solid var(--lijn); }
h1 { font-size: 1.6em; margin: .3em 0; } h2 { font-size: 1.3em; margin-top: 1.8em; } h3 { font-size: 1.1em; }
a { color: var(--blauw); } a:focus { outline: 3px solid #ffbf47; }
.klein { color: var(--grijs); font-size: .9em; }
.kaarten { display: flex; flex-wrap: wrap; gap: 12px; margin: 1em 0; }
.kaart { border: 1px solid var(--lijn); border-radius: 8px; padding: 10px 16px; min-width: 150px; background: var(--achter); }
.kaart .getal { font-size: 1.8em; font-weight: 700; display: block; }
.grafieken { display: flex; flex-wrap: wrap; gap: 24px; }
figure { margin: 0; } figcaption { font-weight: 600; margin-bottom: 4px; }
svg.grafiek text { font-size: 13px; fill: var(--tekst); font-family: inherit; }
table { border-collapse: collapse; width: 100%; margin: .5em 0 1.5em; font-size: .95em; }
th, td { border-bottom: 1px solid var(--lijn); padding: 6px 8px; text-align: left; vertical-align: top; }
th { background: var(--achter); }
td.getal, th.getal { text-align: right; white-space: nowrap; }
.voldoet { color: var(--goed); font-weight: 600; } .voldoet-niet { color: var(--fout); font-weight: 600; }
.probleem { color: var(--waarschuwing); font-weight: 600; }
.oordeel { border-left: 6px solid var(--goed); background: #edf7ee; padding: 10px 16px; margin: 1em 0; }
.oordeel.niet { border-left-color: var(--fout); background: #fdecea; }
.brieftekst { white-space: pre-wrap; border: 1px solid var(--lijn); border-radius: 8px; padding: 16px 20px;
              background: #fff; font-family: Georgia, "Times New Roman", serif; line-height: 1.7; }
mark { padding: 0 1px; border-radius: 2px; }
mark.ernst-error { background: #f8c9c5; } mark.ernst-warning { background: #ffe0b2; }
mark.ernst-suggestion { background: #d6e6fb; }
span.zin { text-decoration: underline wavy; text-decoration-thickness: 1px; text-underline-offset: 3px; }
span.zin.ernst-error { text-decoration-color: var(--fout); } span.zin.ernst-warning { text-decoration-color: var(--waarschuwing); }
span.zin.ernst-suggestion { text-decoration-color: var(--tip); }
a.nr { font: 700 11px Arial, sans-serif; vertical-align: super; text-decoration: none; color: #fff;
       background: var(--grijs); border-radius: 8px; padding: 0 4px; margin: 0 1px; }
ol.bevindingen { padding-left: 1.4em; } ol.bevindingen li { margin-bottom: 1em; }
.label-error { color: var(--fout); font-weight: 700; } .label-warning { color: var(--waarschuwing); font-weight: 700; }
.label-suggestion { color: var(--tip); font-weight: 700; }
.code { font-family: Consolas, monospace; font-size: .9em; color: var(--grijs); }
.uitleg { color: var(--grijs); }
.legenda span { margin-right: 1em; }
footer { border-top: 1px solid var(--lijn); margin-top: 3em; padding: 12px 20px 30px; color: var(--grijs); font-size: .9em; }
@media print { a.nr { background: none; color: var(--grijs); } header, footer { border: none; } }
"""

BASE = """\
<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% block title %}{% endblock %}</title>
<link rel="stylesheet" href="{{ root }}stijl.css">
</head>
<body>
<header>{% block header %}{% endblock %}</header>
<main>{% block main %}{% endblock %}</main>
<footer>Gemaakt door briefcheck {{ version }} op {{ made }}. Dit rapport staat alleen op uw computer; er is niets verstuurd.</footer>
</body>
</html>
"""

INDEX = """\
{% extends "base.html" %}
{% block title %}Rapport briefcheck – {{ folder }}{% endblock %}
{% block header %}
<h1>Rapport: {{ folder }}</h1>
<p class="klein">{{ total }} bestanden gecontroleerd in de map <strong>{{ folder_path }}</strong>.</p>
{% endblock %}
{% block main %}
<div class="kaarten">
  <div class="kaart"><span class="getal">{{ checked }}</span>brieven gecontroleerd</div>
  <div class="kaart"><span class="getal voldoet">{{ passing }}</span>voldoen aan het beleid</div>
  <div class="kaart"><span class="getal voldoet-niet">{{ failing }}</span>voldoen niet</div>
  <div class="kaart"><span class="getal probleem">{{ problems|length }}</span>niet gecontroleerd</div>
  <div class="kaart"><span class="getal">{{ b1_share }}</span>op B1-niveau</div>
</div>

<h2>Het beleid</h2>
<ul>{% for line in policy %}<li>{{ line }}</li>{% endfor %}</ul>

<h2>Hoe moeilijk zijn de brieven?</h2>
<p>LiNT-II meet hoe moeilijk een tekst is, in 4 niveaus: 1 is makkelijk, 4 is zeer moeilijk.
Het taalniveau (A1 tot en met C2) is een schatting. B1 is het niveau dat de meeste mensen begrijpen.</p>
<div class="grafieken">
  <figure><figcaption>LiNT-II-niveau (aantal brieven)</figcaption>{{ lint_chart }}</figure>
  <figure><figcaption>Geschat taalniveau (aantal brieven)</figcaption>{{ cefr_chart }}</figure>
</div>

<h2>Wat komt het vaakst voor?</h2>
<div class="grafieken">
  <figure><figcaption>Bevindingen per soort (aantal)</figcaption>{{ category_chart }}</figure>
</div>
{% if top_rules %}
<table>
  <thead><tr><th>Regel</th><th>Soort</th><th class="getal">Aantal keer</th><th class="getal">In brieven</th><th>Voorbeeld</th></tr></thead>
  <tbody>
  {% for item in top_rules %}
  <tr><td><span class="code">{{ item.code }}</span> {{ item.name }}</td><td>{{ item.category }}</td>
      <td class="getal">{{ item.count }}</td><td class="getal">{{ item.letters }}</td><td>{{ item.example }}</td></tr>
  {% endfor %}
  </tbody>
</table>
{% endif %}
{% if top_words %}
<h3>Woorden en zinsdelen die het vaakst terugkomen</h3>
<table>
  <thead><tr><th>Woorden</th><th>Regel</th><th class="getal">Aantal keer</th><th class="getal">In brieven</th><th>Beter</th></tr></thead>
  <tbody>
  {% for item in top_words %}
  <tr><td>{{ item.text }}</td><td><span class="code">{{ item.code }}</span> {{ item.name }}</td>
      <td class="getal">{{ item.count }}</td><td class="getal">{{ item.letters }}</td><td>{{ item.better }}</td></tr>
  {% endfor %}
  </tbody>
</table>
{% endif %}

<h2>Per afdeling</h2>
<p>Een afdeling is een map direct onder {{ folder }}.</p>
<div class="grafieken">
  <figure><figcaption>Brieven op B1-niveau per afdeling (procent)</figcaption>{{ department_chart }}</figure>
</div>
<table>
  <thead><tr><th>Afdeling</th><th class="getal">Brieven</th><th class="getal">Voldoen niet</th>
    <th class="getal">Niet gecontroleerd</th><th class="getal">Op B1-niveau</th><th class="getal">Gem. LiNT-II-score</th>
    <th>Meest voorkomend</th></tr></thead>
  <tbody>
  {% for d in departments %}
  <tr><td>{{ d.name }}</td><td class="getal">{{ d.total }}</td><td class="getal">{{ d.failing }}</td>
      <td class="getal">{{ d.problems }}</td><td class="getal">{{ d.b1 }}</td><td class="getal">{{ d.lint }}</td>
      <td>{{ d.top }}</td></tr>
  {% endfor %}
  </tbody>
</table>

<h2>Alle brieven, de slechtste eerst</h2>
<p>Bovenaan staan de brieven die niet voldoen aan het beleid; daarna de moeilijkste tekst (hoogste LiNT-II-score).</p>
<table>
  <thead><tr><th>Brief</th><th>Afdeling</th><th>Beleid</th><th>LiNT-II</th><th class="getal">Score</th><th>Taalniveau</th>
    <th class="getal">Fouten</th><th class="getal">Waarsch.</th><th class="getal">Tips</th>{% if with_copies %}<th>Kopie</th>{% endif %}</tr></thead>
  <tbody>
  {% for r in ranking %}
  <tr><td><a href="{{ r.page }}">{{ r.rel }}</a></td><td>{{ r.department }}</td>
      <td>{% if r.passed %}<span class="voldoet">voldoet</span>{% else %}<span class="voldoet-niet">voldoet niet</span>{% endif %}</td>
      <td>{{ r.lint_label }}</td><td class="getal">{{ r.lint_score }}</td><td>{{ r.cefr }}</td>
      <td class="getal">{{ r.errors }}</td><td class="getal">{{ r.warnings }}</td><td class="getal">{{ r.tips }}</td>
      {% if with_copies %}<td>{% if r.copy_href %}<a href="{{ r.copy_href }}">Word</a>{% endif %}</td>{% endif %}</tr>
  {% endfor %}
  </tbody>
</table>

{% if problems %}
<h2>Niet gecontroleerd</h2>
<table>
  <thead><tr><th>Bestand</th><th>Wat er is gebeurd</th><th>Waarom</th></tr></thead>
  <tbody>
  {% for p in problems %}<tr><td>{{ p.rel }}</td><td class="probleem">{{ p.status }}</td><td>{{ p.reason }}</td></tr>{% endfor %}
  </tbody>
</table>
{% endif %}

<h2>Voor uw eigen spreadsheet</h2>
<ul>
  <li><a href="brieven.csv">brieven.csv</a> en <a href="brieven.jsonl">brieven.jsonl</a>: één regel per bestand.</li>
  <li><a href="bevindingen.csv">bevindingen.csv</a> en <a href="bevindingen.jsonl">bevindingen.jsonl</a>: één regel per bevinding.</li>
</ul>
<p class="klein">De CSV-bestanden gebruiken een puntkomma tussen de kolommen en een komma in getallen, zoals Excel in het Nederlands verwacht.</p>
{% endblock %}
"""

LETTER = """\
{% extends "base.html" %}
{% block title %}{{ rel }} – briefcheck{% endblock %}
{% block header %}
<p class="klein"><a href="../index.html">← Terug naar het overzicht</a></p>
<h1>{{ rel }}</h1>
<p class="klein">Afdeling: {{ department }} · Bestandstype: {{ suffix }}{% if letter_type %} · Briefsoort: {{ letter_type }}{% endif %}{% if copy %} · <a href="{{ copy }}">Kopie met opmerkingen (Word)</a>{% endif %}</p>
{% endblock %}
{% block main %}
<div class="oordeel{% if not passed %} niet{% endif %}">
  {% if passed %}<strong>Deze brief voldoet aan het beleid.</strong>
  {% else %}<strong>Deze brief voldoet niet aan het beleid.</strong>
  <ul>{% for reason in reasons %}<li>{{ reason }}</li>{% endfor %}</ul>{% endif %}
  {% for notice in notices %}<p class="klein">{{ notice }}</p>{% endfor %}
</div>

<h2>Cijfers</h2>
<table>
  <tbody>
  <tr><th>LiNT-II</th><td>{{ lint }}</td></tr>
  <tr><th>Taalniveau</th><td>{{ cefr }}{% if b1_verdict %}<br><span class="uitleg">{{ b1_verdict }}</span>{% endif %}</td></tr>
  <tr><th>Woorden en zinnen</th><td>{{ words }} woorden, {{ sentences }} zinnen, gemiddeld {{ mean }} woorden per zin</td></tr>
  <tr><th>Bevindingen</th><td>{{ counts.error }} fouten, {{ counts.warning }} waarschuwingen, {{ counts.suggestion }} tips</td></tr>
  {% if tone %}<tr><th>Toon</th><td>{% for t in tone %}{{ t.label }}: {{ t.score }}{% if not loop.last %} · {% endif %}{% endfor %}
    <br><span class="uitleg">0 tot 100; hoger is {{ tone_high }}.</span></td></tr>{% endif %}
  </tbody>
</table>

<h2>De brief</h2>
<p class="legenda klein"><span><mark class="ernst-error">fout</mark></span><span><mark class="ernst-warning">waarschuwing</mark></span>
<span><mark class="ernst-suggestion">tip</mark></span><span><span class="zin ernst-warning">hele zin</span></span>
Klik op een nummer voor de uitleg.</p>
<div class="brieftekst">{{ text }}</div>

<h2>Bevindingen en suggesties</h2>
{% if findings %}
<ol class="bevindingen">
{% for f in findings %}
  <li id="b{{ loop.index }}"><span class="label-{{ f.severity }}">{{ f.severity_label }}</span>
    <span class="code">{{ f.code }}</span> {{ f.location }}: {{ f.message }}
    {% if f.why %}<br><span class="uitleg">Waarom: {{ f.why }}</span>{% endif %}
    {% if f.replacements %}<br>Suggestie: {{ f.replacements }}{% endif %}
    <a href="#m{{ loop.index }}" class="klein">naar de plek in de brief</a></li>
{% endfor %}
</ol>
{% else %}
<p>briefcheck heeft niets gevonden om te verbeteren.</p>
{% endif %}
{% endblock %}
"""


def _environment():
    from jinja2 import DictLoader, Environment, StrictUndefined

    env = Environment(loader=DictLoader({"base.html": BASE, "index.html": INDEX, "letter.html": LETTER}),
                      autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    return env


# =====================================================================================================
# Writing
# =====================================================================================================
def write_reports(result: "BatchResult", out_dir: Path | str) -> Path:
    """Write the HTML report, CSV and JSON Lines of a batch into ``out_dir``; returns index.html."""
    from . import __version__
    from .batch import STATUS_LABELS, annotated_path

    out_dir = Path(out_dir)
    pages_dir = out_dir / "brieven"
    pages_dir.mkdir(parents=True, exist_ok=True)
    env = _environment()
    common = {"version": __version__, "made": time.strftime("%d-%m-%Y %H:%M")}
    (out_dir / "stijl.css").write_text(CSS, encoding="utf-8")

    copies: dict[str, str | None] = {}
    for row in result.rows:
        copy = None
        if result.annotate_dir is not None and row.annotation and row.annotation.get("status") == "ok":
            target = annotated_path(result.annotate_dir, row.entry)
            if target is not None and target.exists():
                copy = target
        copies[row.rel] = copy

    # -- a page per letter -------------------------------------------------------------------------------
    letter_template = env.get_template("letter.html")
    pages: dict[str, str] = {}
    keep = set()
    for row in result.rows:
        if not row.checked:
            continue
        name = page_name(row.rel)
        pages[row.rel] = f"brieven/{name}"
        keep.add(name)
        html = letter_template.render(root="../", **common, **_letter_context(row, copies[row.rel], pages_dir))
        _write_if_changed(pages_dir / name, html.encode("utf-8"))
    for stale in pages_dir.glob("*.html"):  # pages of letters that are gone
        if stale.name not in keep:
            stale.unlink()

    # -- overview ----------------------------------------------------------------------------------------
    context = _index_context(result, pages, copies, out_dir, STATUS_LABELS)
    html = env.get_template("index.html").render(root="", **common, **context)
    _write_if_changed(out_dir / "index.html", html.encode("utf-8"))

    # -- spreadsheets -------------------------------------------------------------------------------------
    templates = [template_record(row, pages.get(row.rel),
                                 _rel_link(copies[row.rel], out_dir) if copies.get(row.rel) else None)
                 for row in result.rows]
    findings = [record for row in result.rows if row.checked for record in finding_records(row)]
    _write_csv(out_dir / "brieven.csv", TEMPLATE_COLUMNS, templates)
    _write_csv(out_dir / "bevindingen.csv", FINDING_COLUMNS, findings)
    _write_jsonl(out_dir / "brieven.jsonl", templates)
    _write_jsonl(out_dir / "bevindingen.jsonl", findings)
    return out_dir / "index.html"


def _letter_context(row: "Row", copy: Path | None, pages_dir: Path) -> dict:
    report = row.report or {}
    findings = report.get("findings", [])
    readability = row.readability()
    lint = readability.get("lint") or {}
    cefr = readability.get("cefr") or {}
    metrics = report.get("metrics") or {}
    tone = ((report.get("details") or {}).get("tone") or {})
    dimensions = tone.get("dimensions") or {}
    tone_rows = [{"label": (dimensions.get(k) or {}).get("high", k), "score": v}
                 for k, v in (tone.get("scores") or {}).items()]
    lint_text = "–"
    if lint.get("score") is not None:
        lint_text = f"{number_nl(lint['score'])}, niveau {_lint_label(lint.get('level'))}"
    return {
        "rel": row.rel,
        "department": row.department,
        "suffix": row.entry.suffix,
        "letter_type": row.letter_type,
        "copy": _rel_link(copy, pages_dir) if copy else None,
        "passed": bool(row.passed),
        "reasons": row.reasons,
        "notices": list(report.get("notices") or []) + list(row.notices),
        "lint": lint_text,
        "cefr": cefr.get("level") or "onbekend",
        "b1_verdict": (cefr.get("b1") or {}).get("verdict"),
        "words": metrics.get("words", "–"),
        "sentences": metrics.get("sentences", "–"),
        "mean": number_nl(metrics.get("mean_sentence_words")),
        "counts": {**{"error": 0, "warning": 0, "suggestion": 0}, **(report.get("counts") or {})},
        "tone": tone_rows,
        "tone_high": "persoonlijker, vriendelijker, uitnodigender, helderder en positiever",
        "text": highlight(report.get("text", ""), findings),
        "findings": [
            {**f, "location": place_of(f), "severity_label": _severity_label(f["severity"]), "why": row.why.get(f["code"], ""),
             "replacements": " / ".join(f"'{s['replacement']}'" for s in f.get("suggestions", []) if s.get("replacement"))}
            for f in findings
        ],
    }


def _index_context(result: "BatchResult", pages: dict[str, str], copies: dict, out_dir: Path, status_labels) -> dict:
    from .readability import LEVEL_LABELS

    checked = result.checked
    lint_counts = Counter(r.lint_level for r in checked)
    cefr_counts = Counter(r.cefr for r in checked)
    lint_bars = [(f"{level} {LEVEL_LABELS.get(level, '')}", lint_counts.get(level, 0), COLOURS["lint"][level])
                 for level in (1, 2, 3, 4)]
    if lint_counts.get(None):
        lint_bars.append(("onbekend", lint_counts[None], COLOURS["lint"][None]))
    cefr_bars = [(level, cefr_counts.get(level, 0), COLOURS["cefr"][level]) for level in CEFR_ORDER]
    if cefr_counts.get(None):
        cefr_bars.append(("onbekend", cefr_counts[None], COLOURS["cefr"][None]))

    # most frequent findings: per rule, and per word or phrase
    per_rule: dict[str, dict] = {}
    per_words: dict[tuple[str, str], dict] = {}
    categories: Counter = Counter()
    for row in checked:
        for finding in (row.report or {}).get("findings", []):
            code = finding["code"]
            categories[finding["category"]] += 1
            item = per_rule.setdefault(code, {"code": code, "name": finding["name"], "count": 0, "letters": set(),
                                              "category": _category_label(finding["category"]),
                                              "example": finding["message"]})
            item["count"] += 1
            item["letters"].add(row.rel)
            if finding["end"] - finding["start"] <= PHRASE_CHARS and finding["suggestions"]:
                words = " ".join(finding["text"].split()).lower()
                entry = per_words.setdefault((code, words), {
                    "text": words, "code": code, "name": finding["name"], "count": 0, "letters": set(),
                    "better": " / ".join(s["replacement"] for s in finding["suggestions"] if s.get("replacement"))})
                entry["count"] += 1
                entry["letters"].add(row.rel)
    top_rules = sorted(per_rule.values(), key=lambda i: (-len(i["letters"]), -i["count"], i["code"]))[:15]
    top_words = sorted(per_words.values(), key=lambda i: (-len(i["letters"]), -i["count"], i["text"]))[:20]
    for item in top_rules + top_words:
        item["letters"] = len(item["letters"])
    category_bars = [(_category_label(c), n, COLOURS["bar"]) for c, n in categories.most_common()]

    # per department
    departments = []
    by_department: dict[str, list] = defaultdict(list)
    for row in result.rows:
        by_department[row.department].append(row)
    department_bars = []
    for name in sorted(by_department, key=str.lower):
        rows = by_department[name]
        ok = [r for r in rows if r.checked]
        b1_known = [r for r in ok if r.b1 is not None]
        b1_share = 100 * sum(1 for r in b1_known if r.b1) / len(b1_known) if b1_known else None
        scores = [r.lint_score for r in ok if r.lint_score is not None]
        codes = Counter(f["code"] for r in ok for f in (r.report or {}).get("findings", []))
        top = codes.most_common(1)
        departments.append({
            "name": name, "total": len(rows), "failing": sum(1 for r in ok if r.passed is False),
            "problems": len(rows) - len(ok),
            "b1": f"{number_nl(b1_share, 0)} %" if b1_share is not None else "–",
            "lint": number_nl(sum(scores) / len(scores)) if scores else "–",
            "top": f"{top[0][0]} {per_rule[top[0][0]]['name']} ({top[0][1]}×)" if top else "–",
        })
        if b1_share is not None:
            department_bars.append((name, round(b1_share), COLOURS["bar"]))

    ranking = []
    for row in sorted(checked, key=_rank_key, reverse=True):
        counts = row.counts
        copy = copies.get(row.rel)
        ranking.append({
            "rel": row.rel, "page": pages[row.rel], "department": row.department, "passed": bool(row.passed),
            "lint_label": _lint_label(row.lint_level), "lint_score": number_nl(row.lint_score),
            "cefr": row.cefr or "–", "errors": counts.get("error", 0), "warnings": counts.get("warning", 0),
            "tips": counts.get("suggestion", 0), "copy_href": _rel_link(copy, out_dir) if copy else None,
        })
    b1_known = [r for r in checked if r.b1 is not None]
    return {
        "folder": result.root.resolve().name or str(result.root),
        "folder_path": str(result.root.resolve()),
        "total": len(result.rows),
        "checked": len(checked),
        "passing": sum(1 for r in checked if r.passed),
        "failing": len(result.failing),
        "b1_share": f"{round(100 * sum(1 for r in b1_known if r.b1) / len(b1_known))} %" if b1_known else "–",
        "policy": _policy_lines(result),
        "lint_chart": bar_chart("LiNT-II-niveau van de brieven", lint_bars),
        "cefr_chart": bar_chart("Geschat taalniveau van de brieven", cefr_bars),
        "category_chart": bar_chart("Bevindingen per soort", category_bars or [("geen bevindingen", 0, COLOURS["bar"])]),
        "department_chart": bar_chart("Brieven op B1-niveau per afdeling", department_bars or [("–", 0, COLOURS["bar"])],
                                      unit=" %", max_value=100),
        "top_rules": top_rules,
        "top_words": top_words,
        "departments": departments,
        "ranking": ranking,
        "with_copies": result.annotate_dir is not None,
        "problems": [{"rel": r.rel, "status": status_labels.get(r.status, r.status), "reason": r.reason}
                     for r in result.problems],
    }
