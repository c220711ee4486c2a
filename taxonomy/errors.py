"""Exceptions raised by the taxonomy package."""


class TaxonomyError(Exception):
    """Base class of every taxonomy error."""


class TaxonomyFormatError(TaxonomyError):
    """A data file is not valid YAML or does not follow its schema."""


class TaxonomyValidationError(TaxonomyError):
    """The data loaded, but breaks an integrity rule (ids, references, codes, citations)."""

    def __init__(self, problems):
        self.problems = list(problems)
        first = self.problems[0] if self.problems else None
        head = f"{first.kind}: {len(self.problems)} problem(s)" if first else "no problems"
        super().__init__(head + "".join(f"\n  - {p}" for p in self.problems[:50]))
