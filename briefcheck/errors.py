"""Errors with a message for users (Dutch) and a short reason for developers (English)."""


class BriefcheckError(Exception):
    """Base class. ``str(error)`` is the Dutch message a user sees."""


class InputError(BriefcheckError):
    """The input cannot be read as a letter (empty, binary, too large, corrupt, protected, ...)."""


class RuleFileError(BriefcheckError):
    """A rule file is broken. The message names file, line and rule code (for rule authors)."""


class ConfigError(BriefcheckError):
    """briefcheck.toml is broken."""
