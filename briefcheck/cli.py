"""The ``briefcheck`` command. Exit codes: 0 passes the policy, 1 findings at or above --fail-on,
2 usage or input errors."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .errors import BriefcheckError

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2
#: Analysis processes of ``briefcheck serve``: one per core, at most 4 (each adds memory).
DEFAULT_WORKERS = max(1, min(4, os.cpu_count() or 1))


class _Parser(argparse.ArgumentParser):
    """argparse with Dutch errors and exit code 2 (as argparse does)."""

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(EXIT_INPUT, f"briefcheck: fout in de opdracht: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="briefcheck", description="Controleer een brief op B1-taal, toon en opbouw.")
    parser.add_argument("--version", action="version", version="briefcheck " + _version())
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    check = sub.add_parser("check", help="controleer een brief (.txt, .md, .docx of - voor invoer)")
    check.add_argument("file", help="het bestand, of - om tekst van standaardinvoer te lezen")
    check.add_argument("--format", choices=("text", "json"), default="text", help="uitvoer (standaard: text)")
    check.add_argument("--fail-on", choices=("suggestion", "warning", "error", "never"), default=None,
                       help="vanaf welke ernst de brief afkeurt (standaard: error, of uit briefcheck.toml)")
    check.add_argument("--policy", default=None, help="pad naar briefcheck.toml (standaard: in de huidige map)")

    example = sub.add_parser("example", help="controleer de voorbeeldbrief die bij briefcheck hoort")
    example.add_argument("--format", choices=("text", "json"), default="text")

    from .batch import BATCH_EPILOG, add_arguments as add_batch_arguments

    batch = sub.add_parser("batch", help="controleer een hele map met brieven (rapport, kopieën met opmerkingen)",
                           description="Controleer alle brieven in een map en de mappen daarin.",
                           epilog=BATCH_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
                           add_help=False)
    add_batch_arguments(batch)

    rewrite = sub.add_parser("rewrite", help="herschrijf een brief met alle suggesties (.txt, .md of .docx)")
    rewrite.add_argument("file", help="het bestand, of - om tekst van standaardinvoer te lezen")
    rewrite.add_argument("--output", "-o", default=None,
                         help="schrijf de herschreven brief naar dit bestand (verplicht bij .docx; bestaat het al, "
                              "dan stopt briefcheck)")
    rewrite.add_argument("--policy", default=None, help="pad naar briefcheck.toml (standaard: in de huidige map)")

    rules = sub.add_parser("rules", help="toon de regels, of uitleg over één regel")
    rules.add_argument("action", nargs="?", choices=("list", "explain"), default="list")
    rules.add_argument("code", nargs="?", help="de code van de regel, bijvoorbeeld BC101")
    rules.add_argument("--policy", default=None)

    serve = sub.add_parser("serve", help="start de webpagina en de API (waitress)")
    serve.add_argument("--host", default="127.0.0.1", help="adres om op te luisteren (standaard: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8080, help="poort (standaard: 8080)")
    serve.add_argument("--threads", type=int, default=4, help="aantal threads (standaard: 4)")
    serve.add_argument("--workers", type=int, default=DEFAULT_WORKERS,
                       help=f"aantal processen dat brieven controleert (standaard: het aantal processorkernen, "
                            f"hier {DEFAULT_WORKERS}; 1: alles in één proces)")
    serve.add_argument("--policy", default=None, help="pad naar briefcheck.toml (standaard: in de huidige map)")
    return parser


def _version() -> str:
    from . import __version__

    return __version__


def _read_stdin() -> bytes:
    return sys.stdin.buffer.read()


def cmd_check(args) -> int:
    from .analyzer import analyze
    from .config import load_settings
    from .formats import read_bytes, read_path
    from .formatters import format_json, format_text, use_colour

    settings = load_settings(args.policy).with_fail_on(args.fail_on)
    if args.file == "-":
        document = read_bytes(_read_stdin(), "<invoer>", "text")
    else:
        document = read_path(args.file)
    report = analyze(document, settings)
    if settings.source is not None:
        from .batch import apply_policy

        apply_policy(report, settings, args.file)
    output = format_json(report) if args.format == "json" else format_text(report, use_colour())
    sys.stdout.write(output)
    return EXIT_OK if report.verdict.passed else EXIT_FINDINGS


def cmd_example(args) -> int:
    from .analyzer import analyze
    from .examples import example_letter
    from .formatters import format_json, format_text, use_colour

    report = analyze(example_letter())
    sys.stdout.write(format_json(report) if args.format == "json" else format_text(report, use_colour()))
    return EXIT_OK


def cmd_rules(args) -> int:
    from .config import load_settings
    from .rules import get_rules

    settings = load_settings(args.policy)
    ruleset = get_rules(settings.rule_files)
    if args.action == "list":
        for rule in ruleset.rules:
            state = " (uit)" if rule.code in settings.disabled else ""
            extra = f", {len(rule.entries)} woorden" if rule.entries else ""
            sys.stdout.write(f"{rule.code}  {rule.name:<28} {rule.category:<12} {rule.severity}{extra}{state}\n")
        return EXIT_OK
    if not args.code:
        sys.stderr.write("briefcheck: geef de code van een regel, bijvoorbeeld: briefcheck rules explain BC101\n")
        return EXIT_INPUT
    rule = ruleset.get(args.code)
    if rule is None:
        sys.stderr.write(f"briefcheck: er is geen regel met code {args.code}. Zie: briefcheck rules\n")
        return EXIT_INPUT
    sys.stdout.write(explain(rule))
    return EXIT_OK


def explain(rule) -> str:
    """What / why / wrong / better of a rule, for the terminal."""
    lines = [f"{rule.code} {rule.name} ({rule.category}, {rule.severity})", "",
             "Wat:    " + rule.message.format_map(_Placeholder()), "Waarom: " + rule.why]
    if rule.better:
        lines.append("Beter:  " + rule.better)
    lines.append("")
    lines += ["Fout:   " + _mark(e) for e in rule.wrong]
    lines += ["Goed:   " + e.shown() for e in rule.right]
    if rule.entries:
        lines += ["", f"Woordenlijst: {len(rule.entries)} woorden, bijvoorbeeld:"]
        lines += [f"  {e.term} → {', '.join(e.alternatives)}" for e in rule.entries[:10]]
    lines.append(f"\nBron: {rule.location}")
    return "\n".join(lines) + "\n"


class _Placeholder(dict):
    def __missing__(self, key):
        return "…"


def _mark(example) -> str:
    start, end = example.span
    return example.shown(example.text[:start] + "[" + example.text[start:end] + "]" + example.text[end:])


def cmd_batch(args) -> int:
    from .batch import cmd_batch as run

    return run(args)


def cmd_serve(args) -> int:
    """The web page and API, served by waitress. Loads the pipeline first, so the first letter is fast."""
    import logging

    import waitress

    from web import create_app, warm_up
    from web.serving import waitress_options

    from .config import load_settings

    if not 1 <= args.port <= 65535:
        sys.stderr.write("briefcheck: de poort moet tussen 1 en 65535 liggen.\n")
        return EXIT_INPUT
    if args.threads < 1:
        sys.stderr.write("briefcheck: het aantal threads moet minstens 1 zijn.\n")
        return EXIT_INPUT
    if args.workers < 1:
        sys.stderr.write("briefcheck: het aantal processen moet minstens 1 zijn.\n")
        return EXIT_INPUT
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = load_settings(args.policy)
    app = create_app(settings)
    sys.stderr.write("briefcheck: de taalmodellen worden geladen...\n")
    warm_up(settings)
    sys.stderr.write(f"briefcheck: de webpagina staat klaar op http://{args.host}:{args.port}/ (stoppen: Ctrl+C)\n")
    from web import service

    service.start_workers(args.workers)
    try:
        waitress.serve(app, host=args.host, port=args.port, threads=args.threads, **waitress_options())
    finally:
        service.stop_workers()
    return EXIT_OK


COMMANDS = {"check": cmd_check, "example": cmd_example, "rules": cmd_rules, "batch": cmd_batch,
            "serve": cmd_serve}



def cmd_rewrite(args) -> int:
    """Apply all suggestions: text to stdout or --output; a .docx to --output (never over an existing file)."""
    from .config import load_settings
    from .formats import read_bytes, read_path
    from .formats.text import decode

    settings = load_settings(args.policy)
    output = Path(args.output) if args.output else None
    is_docx = args.file != "-" and Path(args.file).suffix.lower() in (".docx", ".dotx", ".docm")
    if output is not None and (output.exists() or (args.file != "-" and output.resolve() == Path(args.file).resolve())):
        sys.stderr.write(f"briefcheck: {output} bestaat al. Kies een andere naam voor de herschreven brief; "
                         "briefcheck overschrijft geen bestanden.\n")
        return EXIT_INPUT
    if is_docx and output is None:
        sys.stderr.write("briefcheck: geef met --output een naam voor de herschreven Word-brief, bijvoorbeeld: "
                         f"briefcheck rewrite {args.file} --output herschreven.docx\n")
        return EXIT_INPUT
    if is_docx:
        from .rewrite import rewrite_docx_report

        read_path(args.file)  # refuses broken, protected or old files with a Dutch message
        data, rewritten = rewrite_docx_report(Path(args.file).read_bytes(), settings, name=Path(args.file).name)
        output.write_bytes(data)
    else:
        from .rewrite import rewrite_blocks, rewrite_text

        if args.file == "-":
            raw, name = _read_stdin(), "<invoer>"
            document = read_bytes(raw, name, "text")
        else:
            document = read_path(args.file)
            raw, name = Path(args.file).read_bytes(), Path(args.file).name
        rewritten = rewrite_blocks(document, settings)
        original = decode(raw, name).replace("\r\n", "\n").replace("\r", "\n")
        new_text = rewrite_text(original, rewritten)
        if output is None:
            sys.stdout.write(new_text if new_text.endswith("\n") else new_text + "\n")
        else:
            output.write_text(new_text, encoding="utf-8")
    sys.stderr.write(_rewrite_summary(rewritten, output))
    return EXIT_OK


def _rewrite_summary(rewritten, output) -> str:
    """What the rewrite did, in Dutch, for stderr."""
    before, after = rewritten.report_before, rewritten.report_after
    lines = [f"briefcheck: {len(rewritten.applied)} suggesties toegepast, {len(rewritten.skipped)} overgeslagen.",
             f"Bevindingen: {len(before.findings)} voor, {len(after.findings)} na."]
    scores = [r.details.get("readability", {}).get("lint", {}).get("score") for r in (before, after)]
    if None not in scores:
        shown = [f"{score:.1f}".replace(".", ",") for score in scores]
        lines.append(f"LiNT-II-score: {shown[0]} voor, {shown[1]} na (lager is makkelijker).")
    where = f"De herschreven brief staat in {output}. " if output is not None else ""
    lines.append(where + "Lees de brief na voordat u hem verstuurt: u beslist wat blijft.")
    return "\n".join(lines) + "\n"


COMMANDS["rewrite"] = cmd_rewrite

def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except BriefcheckError as error:
        sys.stderr.write(f"briefcheck: {error}\n")
        return EXIT_INPUT
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
