"""What organisation-wide pages show to personas of other organisations before the case
exists: after it is built they must show exactly the same (no count moves)."""

from __future__ import annotations

from typing import Any

STAT_PERSONAS = ("skarholmen_manager", "police_manager")


def statistics_values(user: Any) -> list[list[str]]:
    """Every cell of the statistics a user's export would hold (CSV rows)."""
    import csv
    import io

    from samverkan.followup import exports, selectors

    text = exports.to_csv(selectors.statistics_for(actor=user, export_format="csv"))
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))


def capture_baseline(users: dict[str, Any]) -> dict[str, Any]:
    return {name: statistics_values(users[name]) for name in STAT_PERSONAS}
