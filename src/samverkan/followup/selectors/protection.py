"""Which cells of a family of tables are hidden, decided once per data snapshot and
cached under a keyed hash of the counts (never a count in the cache)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from django.core.cache import cache
from django.utils.crypto import salted_hmac

from samverkan.followup.family import (
    CaseCounts,
    CaseTables,
    CommitmentCounts,
    CommitmentTables,
    GridCounts,
    GridTables,
)
from samverkan.followup.linked import LinkedFamily, Ref, protect
from samverkan.followup.suppression import THRESHOLD

# Bump when the suppression rules change: no publication cached under the old rules is used.
PROTECTION_VERSION = 2
CACHE_SECONDS = 7 * 24 * 3600


def _protected(kind: str, canonical: Any, family: Callable[[], LinkedFamily]) -> Mapping[Ref, str]:
    """The hidden cells of a family of tables, decided once per data snapshot.

    The cache key is a keyed hash (HMAC with SECRET_KEY) of everything the decision
    depends on — the counts at the finest grain, the threshold and PROTECTION_VERSION —
    so any change in the data gives a new key (the old entry just expires: that is the
    invalidation) and nobody can recover counts from a key. The cache holds which cells
    are hidden, never a count. The solver is deterministic, so a snapshot decided twice
    (an evicted entry, two processes) hides the same cells."""
    payload = json.dumps([PROTECTION_VERSION, THRESHOLD, kind, canonical], separators=(",", ":"))
    digest = salted_hmac("samverkan.followup.protected", payload, algorithm="sha256").hexdigest()
    key = f"followup:protected:{kind}:{digest}"
    hidden: Mapping[Ref, str] | None = cache.get(key)
    if hidden is None:
        hidden = {ref: status for ref, status in protect(family()).items() if status}
        cache.set(key, hidden, CACHE_SECONDS)
    return hidden


def protected_case_tables(counts: CaseCounts) -> tuple[CaseTables, Mapping[Ref, str]]:
    """The intake and outcome tables of every filter, and which of their cells are hidden."""
    tables = CaseTables(counts)
    return tables, _protected("cases", counts.canonical(), tables.family)


def protected_commitment_tables(counts: CommitmentCounts) -> tuple[CommitmentTables, Mapping[Ref, str]]:
    """The commitment tables of every filter, and which of their cells are hidden."""
    tables = CommitmentTables(counts)
    return tables, _protected("commitments", counts.canonical(), tables.family)


def protected_grid(kind: str, counts: GridCounts) -> tuple[GridTables, Mapping[Ref, str]]:
    """A table shown with no filter (``kind`` names it in the cache key), and which of
    its cells are hidden."""
    tables = GridTables(counts)
    return tables, _protected(f"grid:{kind}", counts.canonical(), tables.family)
