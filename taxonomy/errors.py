"""Exceptions raised by the taxonomy package.

Each carries its message in both languages (`texts`: `taxonomy.messages.Text`, with
`message_zh` / `message_en`); ``str(exc)`` stays the English text the CLI and logs show.
"""

from __future__ import annotations

from taxonomy.messages import Text, text


class TaxonomyError(Exception):
    """Base class of every taxonomy error: raised with a `Text` (``log`` overrides ``str``)."""

    def __init__(self, message: Text | str, *, log: str | None = None):
        self.text = message if isinstance(message, Text) else None
        super().__init__(log or str(message))

    @property
    def texts(self) -> list[Text]:
        """The messages in both languages (an error raised with bare English: a generic one)."""
        return [self.text or text("other")]

    @property
    def message_zh(self) -> str:
        return "；".join(t.zh for t in self.texts)

    @property
    def message_en(self) -> str:
        return "; ".join(t.en for t in self.texts)


class TaxonomyFormatError(TaxonomyError):
    """A data file is not valid YAML or does not follow its schema."""


class TaxonomyValidationError(TaxonomyError):
    """The data loaded, but breaks an integrity rule (ids, references, codes, citations)."""

    def __init__(self, problems):
        self.problems = list(problems)
        first = self.problems[0] if self.problems else None
        head = f"{first.kind}: {len(self.problems)} problem(s)" if first else "no problems"
        super().__init__(head + "".join(f"\n  - {p}" for p in self.problems[:50]))

    @property
    def texts(self) -> list[Text]:
        return [p.text for p in self.problems]
