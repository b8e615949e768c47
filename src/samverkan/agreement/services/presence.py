"""The police presence an agreement promises per area, and the weekly figures the police
report against it.

The promises are part of the agreement's text (edited while it is a draft, by those who
manage it). The weekly figures are reported by the police who see the area
(LocalAction.REPORT_PRESENCE) while the agreement is signed: one figure per promise and
week, corrected in place with optimistic locking (PresenceReport.version). Audited."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.agreement.models import Agreement, PresencePromise, PresenceReport
from samverkan.agreement.services.common import record, require_draft, require_signed
from samverkan.audit.actions import Action
from samverkan.directory.models import Area
from samverkan.lib.concurrency import StaleEdit, update_versioned
from samverkan.picture.decision import LocalAccess, LocalAction
from samverkan.picture.models import week_start_of

if TYPE_CHECKING:
    from samverkan.accounts.models import User

MAX_PER_WEEK = Decimal("10000")


@transaction.atomic(durable=True)
def promise_add(*, actor: User, access: LocalAccess, agreement: Agreement, area: Area, what: str, unit: str,
                per_week: Decimal) -> PresencePromise:
    access.require(LocalAction.MANAGE_AGREEMENT, agreement)
    require_draft(agreement)
    errors: dict[str, str] = {}
    if not agreement.areas.filter(pk=area.pk).exists():
        errors["area"] = _("Choose one of the agreement's areas.")
    if not what.strip():
        errors["what"] = _("Say what is promised.")
    if not unit.strip():
        errors["unit"] = _("Give the unit, for example officers.")
    if not (Decimal(0) < per_week <= MAX_PER_WEEK):
        errors["per_week"] = _("Give a number above zero.")
    if errors:
        raise ValidationError(errors)
    promise = PresencePromise.objects.create(agreement=agreement, area=area, what=what.strip(), unit=unit.strip(),
                                             per_week=per_week)
    record(Action.AGREEMENT_PRESENCE_CHANGED, actor=actor, agreement=agreement, promise=promise.pk,
           area=area.code, change="added")
    return promise


@transaction.atomic(durable=True)
def promise_remove(*, actor: User, access: LocalAccess, agreement: Agreement, promise: PresencePromise) -> None:
    access.require(LocalAction.MANAGE_AGREEMENT, agreement)
    require_draft(agreement)
    if promise.agreement_id != agreement.pk:
        raise ValidationError(_("The promise belongs to another agreement."))
    promise.delete()
    record(Action.AGREEMENT_PRESENCE_CHANGED, actor=actor, agreement=agreement, promise=promise.pk,
           change="removed")


@transaction.atomic(durable=True)
def report_save(*, actor: User, access: LocalAccess, agreement: Agreement, promise: PresencePromise,
                week_start: date, value: Decimal, note: str, expected_version: int | None) -> PresenceReport:
    """Report (or correct) the figure of one week. Correcting a figure needs the
    version the reporter saw; a figure someone else saved meanwhile (or at the same
    moment as this first one) is StaleEdit."""
    access.require(LocalAction.REPORT_PRESENCE, promise)
    require_signed(agreement)
    if promise.agreement_id != agreement.pk:
        raise ValidationError(_("The promise belongs to another agreement."))
    errors: dict[str, str] = {}
    week_start = week_start_of(week_start)
    if week_start > timezone.localdate():
        errors["week"] = _("Report a week that has started.")
    if week_start < week_start_of(agreement.valid_from) or week_start > agreement.valid_to:
        errors["week"] = _("Report a week within the agreement's validity.")
    if not (Decimal(0) <= value <= MAX_PER_WEEK):
        errors["value"] = _("Give a number, zero or more.")
    if errors:
        raise ValidationError(errors)
    note = note.strip()[:300]
    existing = PresenceReport.objects.filter(promise=promise, week_start=week_start).first()
    if existing is None:  # figures are never deleted: a first figure for the week needs no version
        try:
            with transaction.atomic():
                report = PresenceReport.objects.create(promise=promise, week_start=week_start, value=value,
                                                       note=note, reported_by=actor)
        except IntegrityError as exc:  # someone reported the same week at the same moment
            raise StaleEdit from exc
    else:
        update_versioned(PresenceReport, pk=existing.pk, version=expected_version, value=value, note=note,
                         reported_by=actor, updated_at=timezone.now())
        report = existing
        report.refresh_from_db()
    record(Action.AGREEMENT_PRESENCE_REPORTED, actor=actor, agreement=agreement, promise=promise.pk,
           area=promise.area.code, week=week_start.isoformat())
    return report
