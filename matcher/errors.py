"""Exceptions raised by the matching engine; every one subclasses `MatcherError`."""


class MatcherError(Exception):
    """Base class of every matcher error."""


class ProfileError(MatcherError):
    """A profile cannot be scored (e.g. it has no description). Names the field."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(f"{field}: {message}")


class ModelError(MatcherError):
    """The fitted model is missing, unreadable or built for another taxonomy version."""


class InputFileError(MatcherError):
    """A lead-list file cannot be read (format, encoding, headers). `str()` is the English
    message, `zh` the Chinese one."""

    def __init__(self, message: str, zh: str = ""):
        self.zh = zh or message
        super().__init__(message)


class OutputFileError(MatcherError):
    """A result file cannot be written."""
