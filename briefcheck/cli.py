"""The ``briefcheck`` command. Exit codes: 0 passes the policy, 1 findings at or above --fail-on,
2 usage or input errors."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import BriefcheckError

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2


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

    rules = sub.add_parser("rules", help="toon de regels, of uitleg over één regel")
    rules.add_argument("action", nargs="?", choices=("list", "explain"), default="list")
    rules.add_argument("code", nargs="?", help="de code van de regel, bijvoorbeeld BC101")
    rules.add_argument("--policy", default=None)
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
    lines += ["Goed:   " + e.text for e in rule.right]
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
    return example.text[:start] + "[" + example.text[start:end] + "]" + example.text[end:]


COMMANDS = {"check": cmd_check, "example": cmd_example, "rules": cmd_rules}


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
