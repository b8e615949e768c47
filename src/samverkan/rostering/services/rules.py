"""An action group's shift pattern and working-time rules (the municipal side).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samverkan.actiongroups.models import ActionGroup
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.lib.concurrency import save_versioned
from samverkan.rostering.models import (
    PatternKind,
    RosterRules,
    ShiftPattern,
)
from samverkan.rostering.services.common import (
    _require_rosters,
)

if TYPE_CHECKING:
    from samverkan.accounts.models import User


def parse_custom_pattern(text: str) -> list[dict[str, Any]]:
    """Parse lines "CODE HH:MM HOURS [HH:MM-HH:MM ...]" (e.g. "D 07:00 10 11:00-11:30")
    into the stored form; the optional ranges are the shift's breaks (ATL 15 §). A shift
    that lists none gets the standard placement (the engine's ``standard_breaks``)."""
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        parts = line.split()
        if not parts:
            continue
        try:
            code, start, hours = (
                parts[0],
                dt.time.fromisoformat(parts[1]),
                float(parts[2].replace(",", ".")),
            )
        except (IndexError, ValueError):
            raise ValidationError(
                _("Line %(n)d: write a code, a start time and hours, e.g. 'D 07:00 10'.")
                % {"n": number}
            ) from None
        if not 0 < hours <= 24 or len(code) > 8:
            raise ValidationError(_("Line %(n)d: hours must be between 0 and 24.") % {"n": number})
        item: dict[str, Any] = {"code": code, "start": start.strftime("%H:%M"), "hours": hours}
        breaks = [_parse_break(number, start, hours, word) for word in parts[3:]]
        if breaks:
            item["breaks"] = breaks
        out.append(item)
    return out


def _parse_break(number: int, start: dt.time, hours: float, word: str) -> dict[str, Any]:
    """One break "HH:MM-HH:MM" inside a shift starting at ``start`` lasting ``hours``."""
    try:
        lo, hi = (dt.time.fromisoformat(x) for x in word.split("-", 1))
    except ValueError:
        raise ValidationError(
            _("Line %(n)d: write each break as start-end, e.g. '11:00-11:30'.") % {"n": number}
        ) from None
    day = 24 * 60
    base = start.hour * 60 + start.minute
    offset = (lo.hour * 60 + lo.minute - base) % day
    minutes = (hi.hour * 60 + hi.minute - lo.hour * 60 - lo.minute) % day
    if minutes == 0 or offset + minutes > hours * 60:
        raise ValidationError(
            _("Line %(n)d: the break %(b)s does not fall within the shift.") % {"n": number, "b": word}
        )
    return {"start": lo.strftime("%H:%M"), "minutes": minutes}


def pattern_text(custom: list[dict[str, Any]]) -> str:
    """The stored custom shifts as the lines ``parse_custom_pattern`` reads."""
    lines = []
    for s in custom:
        words = [str(s["code"]), str(s["start"]), f"{s['hours']:g}"]
        for b in s.get("breaks") or []:
            start = dt.datetime.combine(dt.date(2000, 1, 1), dt.time.fromisoformat(str(b["start"])))
            end = start + dt.timedelta(minutes=int(b["minutes"]))
            words.append(f"{start:%H:%M}-{end:%H:%M}")
        lines.append(" ".join(words))
    return "\n".join(lines)


@transaction.atomic(durable=True)
def pattern_set(
    *,
    actor: User,
    group: ActionGroup,
    kind: str,
    custom: list[dict[str, Any]] | None = None,
    expected_version: int | None = None,
) -> ShiftPattern:
    """Choose the group's shift pattern (3 x 8 h, 2 x 12 h or custom)."""
    _require_rosters(actor)
    if kind not in PatternKind.values:
        raise ValidationError(_("Unknown shift pattern."))
    if kind == PatternKind.CUSTOM and not custom:
        raise ValidationError(_("A custom pattern needs at least one shift."))
    pattern, created = ShiftPattern.objects.get_or_create(group=group)
    pattern.kind, pattern.custom = kind, (custom or []) if kind == PatternKind.CUSTOM else []
    if created:
        pattern.save()
    else:
        save_versioned(
            instance=pattern, expected_version=expected_version, fields=["kind", "custom"]
        )
    audit.record(
        action=Action.SHIFT_PATTERN_CHANGED,
        actor=actor,
        subject_type="action_group",
        subject_id=group.pk,
        detail={"kind": kind, "shifts": len(pattern.custom)},
    )
    return pattern


def rules_get(*, group: ActionGroup) -> RosterRules:
    """The group's rules (the statute's defaults, created on first use)."""
    rules, _created = RosterRules.objects.get_or_create(group=group)
    return rules


@transaction.atomic(durable=True)
def rules_save(*, actor: User, rules: RosterRules, expected_version: int | None) -> RosterRules:
    _require_rosters(actor)
    rules.full_clean()
    save_versioned(
        instance=rules,
        expected_version=expected_version,
        fields=[*RosterRules.RULE_FIELDS, *RosterRules.WEIGHT_FIELDS],
    )
    audit.record(
        action=Action.ROSTER_RULES_CHANGED,
        actor=actor,
        subject_type="action_group",
        subject_id=rules.group_id,
    )
    return rules

