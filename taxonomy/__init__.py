"""The plans' taxonomy: industries, districts, zones and parks, relations and policies, cited.

Public surface: `load_taxonomy`, `get_taxonomy`, `validate`, `to_json`, `Taxonomy` and the errors.
"""

from taxonomy.errors import TaxonomyError, TaxonomyFormatError, TaxonomyValidationError
from taxonomy.loader import DATA_DIR, get_taxonomy, load_taxonomy, to_json
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
    "to_json",
    "validate",
]
