"""The trust registry: which hosts belong to public bodies, and the URL classifier."""

from sources.categories import LABELS, Category, parse_category
from sources.classifier import Classification, Classifier, Entry, Verdict
from sources.registry import ImportResult, Registry

__all__ = [
    "LABELS",
    "Category",
    "Classification",
    "Classifier",
    "Entry",
    "ImportResult",
    "Registry",
    "Verdict",
    "parse_category",
]
