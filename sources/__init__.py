"""The trust registry: which hosts belong to public bodies, and the URL classifier.

The names below are imported on first use (PEP 562), so that ``import sources.compiled``
(what ``sdc check`` needs) does not import the importers, the store and the audit.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sources.categories import LABELS, Category, parse_category
    from sources.classifier import Classification, Classifier, Entry, Verdict
    from sources.registry import ImportResult, Registry

_WHERE = {
    "LABELS": "sources.categories", "Category": "sources.categories",
    "parse_category": "sources.categories", "Classification": "sources.classifier",
    "Classifier": "sources.classifier", "Entry": "sources.classifier", "Verdict": "sources.classifier",
    "ImportResult": "sources.registry", "Registry": "sources.registry",
}

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


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'sources' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
