"""Retention of Trefas records: the shipped defaults (configurable) and ``load()``,
which writes them as RetentionRule rows without an organisation (the default for every
organisation). An organisation's own rule (RETENTION_MANAGE, the data-protection
officer's page) overrides the default for its own records. docs/trefas.md states the
defaults and why.

Each record keeps its owner (the organisation that nominated, shared, registered or
recorded it): police records fall under brottsdatalagen (2018:1177), social services'
under GDPR and socialtjänstlagen, so each owner decides how long its own records are
kept. The purge is ``trefas.services.retention.purge_run``.

Not run by ``load_reference_data`` on its own: trefas/reference.py (another topic's
file) calls ``load()``."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_noop

from samverkan.trefas.models import RecordType, RetentionRule


@dataclass(frozen=True)
class Default:
    record_type: str
    years: int
    counted_from: str  # for the documentation and the DPO's page (English msgid)


# Configurable: the defaults every organisation starts with (docs/trefas.md).
DEFAULTS: tuple[Default, ...] = (
    Default(RecordType.LISTING, 3, gettext_noop("removal from the list")),
    Default(RecordType.SHARE, 5, gettext_noop("the jurist's decision (or the withdrawal)")),
    Default(RecordType.INCIDENT, 5, gettext_noop("the incident")),
    Default(RecordType.MEETING, 5, gettext_noop("the meeting (an action: its due date or when it was done)")),
    Default(RecordType.RELEASE, 2, gettext_noop("the date of the release or leave")),
    Default(RecordType.GROUP, 3, gettext_noop("the last change (membership or conflict)")),
)
DEFAULT_YEARS: dict[str, int] = {d.record_type: d.years for d in DEFAULTS}


def load() -> int:
    """Create the default rules that are missing (an administrator's change to a default
    is kept). Returns the number of rows created."""
    created = 0
    for default in DEFAULTS:
        _rule, made = RetentionRule.objects.get_or_create(
            organisation=None, record_type=default.record_type, defaults={"years": default.years}
        )
        created += int(made)
    return created
