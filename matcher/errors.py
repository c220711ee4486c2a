"""Exceptions raised by the matching engine; every one subclasses `MatcherError`."""


class MatcherError(Exception):
    """Base class of every matcher error."""


class ProfileError(MatcherError):
    """A profile cannot be scored (e.g. it has no description). Names the field; `message_zh`
    says the same in Chinese, naming the field by its Chinese label."""

    def __init__(self, field: str, message: str, message_zh: str = ""):
        from matcher.labels import FIELDS

        self.field = field
        self.message = message
        label = FIELDS.get(field, (field, field))
        self.message_zh = f"{label[0]}{message_zh or message}"
        self.message_en = f"{label[1][:1].upper()}{label[1][1:]} {message}"
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
