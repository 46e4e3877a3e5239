"""What a feature app hands the e-archive export (the ``earchive`` app) about one of its closed cases.

An app registers a kind of case with ``portal.archive_case(...)`` (``core/registry.py``): how to tell that a
case is closed, and how to describe it as an ``ArchiveContribution``: its records as rows (written to the
package as JSON and CSV), its documents (files in Django's storage) and the events of its life (PREMIS
events: created, signed, answered, decided). The package itself (METS, PREMIS, checksums) is built by
``earchive`` without knowing any app; these plain records are all the two sides share.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ArchiveDocument:
    """A stored file of the case: ``name`` is its path under the representation's ``data/documents/``."""

    name: str
    file: Any  # a FieldFile: read through Django's storage
    label: str = ""


@dataclass(frozen=True)
class ArchiveEvent:
    """Something that happened to the case: ``kind`` is a PREMIS event type (``creation``, ``signing``…)."""

    kind: str
    at: dt.datetime | dt.date
    detail: str
    agent: str = ""


@dataclass
class ArchiveContribution:
    """One case as its app describes it for the archive."""

    kind: str  # "consultation", "agreement"
    identifier: str  # unique within the region and kind, e.g. the primary key
    title: str
    description: str = ""
    case_number: str = ""
    created: dt.datetime | dt.date | None = None
    closed: dt.datetime | dt.date | None = None
    records: dict[str, list[dict]] = field(default_factory=dict)  # name -> rows (JSON + CSV)
    documents: list[ArchiveDocument] = field(default_factory=list)
    events: list[ArchiveEvent] = field(default_factory=list)
