"""Which origin names and files a host when several origins list it: one table, lower wins.

The curated national table (built in) > the Annuaire > universities > Etalab > plain lists.
Every importer records its origin's rank from here (``origins.priority``), and the compiled
view orders by it, so the two cannot disagree.
"""

from __future__ import annotations

NATIONAL = 0
PRIORITY: dict[str, int] = {"annuaire": 5, "universities": 8, "etalab": 10}
#: plain lists imported with ``sdc sources import list``
LIST = 30


def priority(origin: str) -> int:
    """The rank of ``origin``'s names and categories (lower wins)."""
    return PRIORITY.get(origin, LIST)
