"""The plans' taxonomy: industries, districts, zones and parks, relations and policies, cited.

Public surface: `load_taxonomy`, `get_taxonomy`, `taxonomy_dir`, `validate`, `to_json`,
`Taxonomy` and the errors. The plan library: `taxonomy.sections` (section trees), `taxonomy.plans`
(texts, status), `taxonomy.versions` and `taxonomy.diff` (history), see taxonomy/FORMAT.md.
"""

from taxonomy.errors import TaxonomyError, TaxonomyFormatError, TaxonomyValidationError
from taxonomy.loader import DATA_DIR, get_taxonomy, load_taxonomy, taxonomy_dir, to_json
from taxonomy.model import Taxonomy
from taxonomy.validate import find_problems, validate

__all__ = [
    "DATA_DIR",
    "Taxonomy",
    "TaxonomyError",
    "TaxonomyFormatError",
    "TaxonomyValidationError",
    "find_problems",
    "get_taxonomy",
    "load_taxonomy",
    "taxonomy_dir",
    "to_json",
    "validate",
]
