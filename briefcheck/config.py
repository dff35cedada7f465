"""Settings from ``briefcheck.toml``: the organisation's policy, rules switched off, own rule files."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConfigError
from .spelling import SpellingSettings, spelling_settings_from_toml

CONFIG_NAME = "briefcheck.toml"
FAIL_ON_CHOICES = ("suggestion", "warning", "error", "never")


@dataclass(frozen=True)
class Settings:
    """What an organisation decides; every field has a sensible default."""

    fail_on: str = "error"
    disabled: frozenset[str] = frozenset()
    rule_files: tuple[Path, ...] = ()
    limits: dict[str, dict[str, float]] = field(default_factory=dict)
    spelling: SpellingSettings = field(default_factory=SpellingSettings)
    source: Path | None = None

    def with_fail_on(self, fail_on: str | None) -> "Settings":
        if fail_on is None:
            return self
        from dataclasses import replace

        return replace(self, fail_on=fail_on)


def load_settings(path: Path | str | None = None, search_dir: Path | None = None) -> Settings:
    """Settings from ``path``, or from briefcheck.toml in ``search_dir`` if there is one, else defaults."""
    if path is None:
        candidate = (search_dir or Path.cwd()) / CONFIG_NAME
        if not candidate.is_file():
            return Settings()
        path = candidate
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"Het beleidsbestand {path} bestaat niet.") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: fout in het beleidsbestand: {error}") from None
    policy = data.get("policy", {})
    rules = data.get("rules", {})
    fail_on = policy.get("fail_on", "error")
    if fail_on not in FAIL_ON_CHOICES:
        raise ConfigError(f"{path}: policy.fail_on moet een van {', '.join(FAIL_ON_CHOICES)} zijn, niet '{fail_on}'.")
    extra = tuple((path.parent / f).resolve() for f in rules.get("extra_files", []))
    for file in extra:
        if not file.is_file():
            raise ConfigError(f"{path}: het regelbestand {file} bestaat niet.")
    limits = {}
    for code, values in data.get("limits", {}).items():
        if not isinstance(values, dict) or not all(isinstance(v, (int, float)) for v in values.values()):
            raise ConfigError(f"{path}: limits.{code} moet grenzen geven, bijvoorbeeld warning = 20.")
        limits[code.upper()] = dict(values)
    return Settings(
        fail_on=fail_on,
        disabled=frozenset(c.upper() for c in rules.get("disable", [])),
        rule_files=extra,
        limits=limits,
        spelling=spelling_settings_from_toml(data, path.parent),
        source=path,
    )
