"""Detectors for the letter's anatomy and look (issue #5): they turn the checklist and visual cues
of ``briefcheck.anatomy`` into findings, so the report's checklist and its findings agree.

A missing part has no words of its own. Such a finding is anchored where the part belongs (the
first paragraph for a missing subject or action, the last paragraph for missing contact details)
on a span longer than the analyzer's phrase limit, so that it never hides a word finding of
another rule inside it (see ``anatomy.Letter.wide``).
"""
from __future__ import annotations

from ..anatomy import letter_anatomy
from . import Hit
from .syntax import detector

#: Below this many words, a text without salutation and closing is a snippet, not a letter:
#: it is not told that it lacks a subject, contact details or a closing.
LETTER_MIN_WORDS = 100


def _is_letter(anatomy) -> bool:
    letter = anatomy.letter
    words = sum(s.words() for s in letter.content)
    return letter.salutation is not None or letter.closing is not None or words >= LETTER_MIN_WORDS


def _missing(anatomy, key: str) -> bool:
    item = anatomy.items[key]
    return item.required and not item.present


def _first_paragraph(anatomy):
    letter = anatomy.letter
    segment = letter.first_paragraph() or (letter.content[0] if letter.content else None)
    return letter.wide(segment.start, segment.end) if segment else None


def _last_paragraph(anatomy):
    letter = anatomy.letter
    paragraphs = [s for s in letter.content if s.kind != "heading"]
    if not paragraphs:
        return None
    return letter.wide(paragraphs[-1].start, paragraphs[-1].end)


def _hit(span, **kwargs):
    if span is None:
        return []
    return [Hit(span[0], span[1], **kwargs)]


# ---------------------------------------------------------------- opbouw (BC401–BC449)


@detector("anatomy_subject")
def _subject(rule, analysis, params):
    """No subject line, or one that says nothing ('Onderwerp: uw brief')."""
    anatomy = letter_anatomy(analysis)
    if not _is_letter(anatomy) or not _missing(anatomy, "onderwerp"):
        return
    found = anatomy.items["onderwerp"].found  # set when there is a subject that says too little
    detail = f" ('{found.text}' zegt te weinig)" if found is not None else ""
    yield from _hit(_first_paragraph(anatomy), fields={"detail": detail}, whole_letter=True)


@detector("anatomy_core_first")
def _core_first(rule, analysis, params):
    """The first paragraph opens with 'Naar aanleiding van …' instead of the reason and the core."""
    anatomy = letter_anatomy(analysis)
    item = anatomy.items["kern_vooraan"]
    if item.present or "sentence" not in item.extra:
        return
    start, end = item.extra["sentence"]
    yield from _hit(anatomy.letter.wide(start, end), fields={"opener": item.extra["opener"]})


@detector("anatomy_action")
def _action(rule, analysis, params):
    """What the reader must do is missing, or hidden in the middle of a long paragraph."""
    anatomy = letter_anatomy(analysis)
    if not _is_letter(anatomy) or not _missing(anatomy, "actie"):
        return
    item = anatomy.items["actie"]
    if item.extra.get("buried") and item.found is not None:
        yield from _hit(anatomy.letter.wide(item.found.start, item.found.end),
                        fields={"detail": "staat verstopt in een lange alinea"})
    else:
        yield from _hit(_first_paragraph(anatomy), fields={"detail": "staat niet in de brief"}, whole_letter=True)


@detector("relative_deadline")
def _relative_deadline(rule, analysis, params):
    """'binnen 14 dagen', '14 dagen na dagtekening': a term the reader must count out himself.
    A term from something that still has to happen ('binnen 8 weken na uw aanvraag') cannot be a
    date and is left alone, as are the legal terms for objection and appeal."""
    for found in letter_anatomy(analysis).relative_terms:
        yield Hit(found.start, found.end, severity=found.fields.get("severity"),
                  replacements=list(params.get("replacements", ["vóór [datum]"])))


@detector("anatomy_no_date")
def _no_date(rule, analysis, params):
    """A letter that asks for something by a date, but names no date or term at all."""
    anatomy = letter_anatomy(analysis)
    item = anatomy.items["concrete_datum"]
    if not _is_letter(anatomy) or not _missing(anatomy, "concrete_datum") or not item.extra.get("none"):
        return
    action = anatomy.items["actie"].found
    span = anatomy.letter.wide(action.start, action.end) if action else _first_paragraph(anatomy)
    # A payment or a request for papers without a date is a real gap; a warning to stop doing
    # something may rightly have none: there it is a suggestion.
    strict = anatomy.letter_type in params.get("strict_types", ())
    yield from _hit(span, severity=None if strict else "suggestion", whole_letter=action is None)


@detector("anatomy_objection")
def _objection(rule, analysis, params):
    """A decision without a complete objection clause: within 6 weeks, where and how (Awb 3:45)."""
    anatomy = letter_anatomy(analysis)
    if not _is_letter(anatomy) or not _missing(anatomy, "bezwaar"):
        return
    item = anatomy.items["bezwaar"]
    missing = " en ".join(item.extra.get("missing", []))
    if item.found is not None:
        yield from _hit(anatomy.letter.wide(item.found.start, item.found.end), fields={"missing": missing})
    else:
        yield from _hit(_last_paragraph(anatomy), fields={"missing": missing}, whole_letter=True)


_CONTACT_WORDS = {"contact_persoon": "een persoon of team", "contact_telefoon": "een telefoonnummer",
                  "contact_kanaal": "een manier om contact op te nemen (telefoon, e-mail of website)",
                  "contact_bereikbaar": "de tijden waarop de lezer kan bellen"}


@detector("anatomy_contact")
def _contact(rule, analysis, params):
    """Contact details that are missing: a person or team, a phone number, a channel; and, when
    there is a phone number, when it can be called (a suggestion)."""
    anatomy = letter_anatomy(analysis)
    if not _is_letter(anatomy):
        return
    items = anatomy.items
    missing = [key for key in ("contact_telefoon", "contact_kanaal", "contact_persoon") if _missing(anatomy, key)]
    hours = items["contact_telefoon"].present and not items["contact_bereikbaar"].present
    if not missing and not hours:
        return
    if hours:
        missing.append("contact_bereikbaar")
    severity = None if any(k != "contact_bereikbaar" for k in missing) else "suggestion"
    words = [_CONTACT_WORDS[k] for k in missing]
    if "contact_telefoon" in missing and "contact_kanaal" in missing:
        words[1] = "een andere manier om contact op te nemen (e-mail of website)"
    listed = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " en " + words[-1]
    yield from _hit(_last_paragraph(anatomy), severity=severity, fields={"missing": listed}, whole_letter=True)


@detector("anatomy_reference")
def _reference(rule, analysis, params):
    """No reference (kenmerk, zaaknummer) the reader can mention when calling or writing."""
    anatomy = letter_anatomy(analysis)
    if not _is_letter(anatomy) or not _missing(anatomy, "kenmerk"):
        return
    subject = anatomy.items["onderwerp"].found
    span = anatomy.letter.wide(subject.start, subject.end) if subject else _first_paragraph(anatomy)
    yield from _hit(span, whole_letter=True)


@detector("anatomy_salutation")
def _salutation(rule, analysis, params):
    anatomy = letter_anatomy(analysis)
    if anatomy.letter.closing is None or not _missing(anatomy, "aanhef"):
        return  # without salutation and closing it is a piece of text, not a letter
    yield from _hit(_first_paragraph(anatomy), whole_letter=True)


@detector("anatomy_closing")
def _closing(rule, analysis, params):
    anatomy = letter_anatomy(analysis)
    if anatomy.letter.salutation is None or not _missing(anatomy, "afsluiting"):
        return
    yield from _hit(_last_paragraph(anatomy), whole_letter=True)


# ---------------------------------------------------------------- opmaak (BC501–BC549)


def _cue_hits(analysis, key: str, **extra):
    cue = letter_anatomy(analysis).cues[key]
    for found in cue.instances:
        fields = {k: v for k, v in found.fields.items() if isinstance(v, (str, int, float))}
        yield Hit(found.start, found.end, fields={**fields, **extra}, value=found.fields.get("value"))


@detector("missing_headings")
def _missing_headings(rule, analysis, params):
    """A longer letter (about 250 words, or 4 paragraphs) without headings."""
    anatomy = letter_anatomy(analysis)
    for hit in _cue_hits(analysis, "koppen"):
        hit.value, hit.limit = hit.fields.get("words"), anatomy.data.visual["headings_min_words"]
        hit.whole_letter = True
        yield hit


@detector("fake_heading")
def _fake_heading(rule, analysis, params):
    """A heading made with bold text (.docx) or **text** (plain text), not with a heading style."""
    yield from _cue_hits(analysis, "nep_kop")


@detector("enumeration_in_sentence")
def _enumeration(rule, analysis, params):
    """Three or more things in a row inside a sentence: a bullet list reads easier."""
    yield from _cue_hits(analysis, "opsomming")


@detector("steps_not_numbered")
def _steps(rule, analysis, params):
    """Steps ('eerst …, daarna …, tot slot …') in running text or in a bulleted list."""
    yield from _cue_hits(analysis, "stappen")


@detector("wall_of_text")
def _wall(rule, analysis, params):
    """A long stretch under one heading without a list or a subheading."""
    yield from _cue_hits(analysis, "tekstmuur")


@detector("buried_date_or_amount")
def _buried(rule, analysis, params):
    """A deadline date or an amount late in a long paragraph, not bold."""
    yield from _cue_hits(analysis, "nadruk")


@detector("picture_list")
def _picture_list(rule, analysis, params):
    """Things to bring, show or send: suggest a picture list like Rotterdam's beeldbrief."""
    yield from _cue_hits(analysis, "beeldbrief")


@detector("long_italic_or_caps")
def _italic_or_caps(rule, analysis, params):
    """A long passage in italics (or in capitals by Word formatting)."""
    yield from _cue_hits(analysis, "cursief_hoofdletters")


@detector("image_without_alt_text")
def _image_alt(rule, analysis, params):
    """Pictures without alternative text (.docx, or Markdown ![](…))."""
    yield from _cue_hits(analysis, "alt_tekst")


# Word formatting that plain text cannot show (their rule examples are Word examples).


@detector("small_font")
def _small_font(rule, analysis, params):
    """Text under the minimum font size (rules/signalen/anatomie.yaml: min_font_pt)."""
    anatomy = letter_anatomy(analysis)
    for hit in _cue_hits(analysis, "kleine_letter"):
        hit.value, hit.limit = hit.fields.get("size"), anatomy.data.visual["min_font_pt"]
        yield hit


@detector("justified_text")
def _justified(rule, analysis, params):
    """A justified paragraph of some length."""
    yield from _cue_hits(analysis, "uitgevuld")


@detector("hard_font")
def _hard_font(rule, analysis, params):
    """A script, handwriting, condensed or other hard-to-read font."""
    yield from _cue_hits(analysis, "lettertype")


@detector("layout_table")
def _layout_table(rule, analysis, params):
    """Tables that place text instead of showing data."""
    yield from _cue_hits(analysis, "opmaaktabel")
