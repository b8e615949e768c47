"""What the statistics topics share: the page model (``StatTable``, ``Statistics``) and
the columns every case table has."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from samverkan.cases.models import CaseStatus
from samverkan.followup.suppression import SuppressedTable

NO_OUTCOME = "no_outcome"
STATUS_COLUMNS = (CaseStatus.INTAKE, CaseStatus.ACTIVE, CaseStatus.DECLINED, CaseStatus.CLOSED)


@dataclass(frozen=True)
class StatTable:
    key: str
    caption: str
    row_header: str
    row_labels: list[str]
    col_labels: list[str]
    total_label: str
    table: SuppressedTable
    extra_label: str = ""
    extra: list[str] = field(default_factory=list)  # one display value per row
    note: str = ""

    @property
    def wide(self) -> bool:
        """Too many columns to sit beside its chart: the table goes below it."""
        return len(self.col_labels) > 3

    def rows(self) -> list[tuple[str, list[str], str, str]]:
        """(label, cell displays, row-total display, extra display) per row."""
        totals = self.table.row_totals or tuple(None for _ in self.row_labels)  # type: ignore[misc]
        return [
            (
                label,
                [c.display for c in cells],
                total.display if total else "",
                self.extra[i] if self.extra else "",
            )
            for i, (label, cells, total) in enumerate(zip(self.row_labels, self.table.cells, totals, strict=True))
        ]

    def total_row(self) -> tuple[list[str], str]:
        cols = [c.display for c in self.table.col_totals] if self.table.col_totals else []
        grand = self.table.grand_total.display if self.table.grand_total else ""
        return cols, grand


class LazyCharts(Mapping[str, Any]):
    """The charts, drawn on first use: the page shows them, the exports (and anything
    else that reads only the tables) never draw them — Matplotlib takes about 0.1 s a
    chart."""

    def __init__(self, draw: Callable[[], dict[str, Any]]) -> None:
        self._draw: Callable[[], dict[str, Any]] | None = draw
        self._charts: dict[str, Any] = {}

    def _drawn(self) -> dict[str, Any]:
        if self._draw is not None:
            self._charts, self._draw = self._draw(), None
        return self._charts

    def __getitem__(self, key: str) -> Any:
        return self._drawn()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._drawn())

    def __len__(self) -> int:
        return len(self._drawn())


@dataclass
class Statistics:
    organisation: str
    year: int | None
    years: list[int]
    tables: list[StatTable]
    charts: Mapping[str, Any]
    notes: list[str]
    period: str = ""  # what the tables cover when it is not a year (e.g. "2024-01 – 2025-12")
