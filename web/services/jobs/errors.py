"""A refused job request with its message in both languages."""

from __future__ import annotations

from matcher.errors import InputFileError
from web.services import ServiceError


class JobError(ServiceError):
    """`message` in English, `message_zh` in Chinese; the web shows the interface language's."""

    def __init__(self, message: str, message_zh: str, field: str | None = None,
                 status: int = 422):
        super().__init__(message, field, status)
        self.message_zh = message_zh

    @classmethod
    def of(cls, exc: InputFileError, field: str = "file", status: int = 422) -> JobError:
        """The file error as a refused request."""
        return cls(str(exc), exc.zh, field, status)


def message_in(exc: Exception, lang: str) -> str:
    """An error's message in `lang` ("zh" or "en"), for files and job requests alike."""
    if lang == "zh":
        zh = getattr(exc, "message_zh", None) or getattr(exc, "zh", None)
        if zh:
            return zh
    return getattr(exc, "message", None) or str(exc)
