"""One node of the classifier's compiled registry: everything known of one label suffix.

:class:`sources.classifier.Classifier` compiles the registry into a dict of these, keyed by
host and by public suffix, and :mod:`sources.compiled` writes and reads them back.
"""

from __future__ import annotations

from sources.verdicts import Entry, Verdict


class Node:
    """One label suffix of the compiled registry (``paris.fr``): what is listed, zoned or curated there."""

    __slots__ = ("psl", "entry", "zone", "allow", "deny", "denied_platform", "shared", "suffix", "fast",
                 "unlisted_below")

    def __init__(self) -> None:
        self.psl = 0
        self.entry: Entry | None = None
        self.zone: Entry | None = None
        self.allow: Entry | None = None
        self.deny: Entry | None = None
        self.denied_platform = False
        self.shared = False
        self.suffix = False
        #: the verdict of every host whose first node (walking up) is this one
        self.fast: Verdict | None = None
        #: hosts whose first node is this public suffix are simply not listed
        self.unlisted_below = False
