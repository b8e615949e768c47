"""Reporting an incident and withdrawing one's own report.

``report_create`` checks everything a form cannot know — the area is one the reporter
may report in (LocalAccess), the category is in use, the named place belongs to the area,
the point is near the area, the time is not in the future nor more than 30 days back,
the text holds no identity number and (unless the reporter confirmed) no likely name,
the photo is a JPEG or PNG within the size limit — and reports every problem at once as a
``ValidationError`` keyed by field, so the form keeps the rest of the input. It then
writes the report, its week count and the audit event in one transaction.

Week counts are kept race-safe: ``get_or_create`` (which survives a concurrent insert of
the same key through the unique constraint) and an ``UPDATE … SET count = count + 1``
that never reads the number into Python.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.directory.models import Area
from samverkan.lib.concurrency import StaleEdit, update_versioned
from samverkan.picture.decision import LocalAccess, LocalAction
from samverkan.picture.models import Category, IncidentReport, Place, ReportStatus, WeekCount
from samverkan.picture.models.reports import TEXT_MAX
from samverkan.picture.services.photos import photo_prepare
from samverkan.picture.text import check_text

if TYPE_CHECKING:
    from samverkan.accounts.models import User

__all__ = ["StaleEdit", "report_create", "report_viewed", "report_withdraw", "week_counts_rebuild"]

# A phone's clock may run a little ahead; more than this is a typing mistake.
FUTURE_SLACK = timedelta(minutes=5)
# The weekly picture is about what happens now: older incidents are not reported here.
MAX_AGE = timedelta(days=30)
# A point farther than this from the area's centre is not in the area.
MAX_DISTANCE_KM = 5.0


@dataclass(frozen=True)
class ReportInput:
    """What the reporter entered (the form's cleaned data)."""

    area: Area
    category: Category
    occurred_at: datetime
    place: Place | None = None
    lat: Decimal | None = None
    lon: Decimal | None = None
    text: str = ""
    photo: UploadedFile | None = None
    no_names_confirmed: bool = False


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Equirectangular distance: exact enough within a city."""
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return 6371.0 * math.hypot(x, y)


def _point(data: ReportInput, errors: dict[str, Any]) -> tuple[Decimal, Decimal] | None:
    area = data.area
    if data.place is not None:
        if data.place.area_id != area.pk or not data.place.active:
            errors["place"] = ValidationError(_("Choose one of the named places of the area you chose."),
                                              code="place_area")
            return None
        return data.place.lat, data.place.lon
    if data.lat is not None and data.lon is not None:
        if area.centre_lat is not None and area.centre_lon is not None and distance_km(
            float(area.centre_lat), float(area.centre_lon), float(data.lat), float(data.lon)
        ) > MAX_DISTANCE_KM:
            errors["place"] = ValidationError(
                _("The point on the map is outside the area. Tap a point in the area or choose a named place."),
                code="point_outside",
            )
            return None
        return data.lat.quantize(Decimal("0.00001")), data.lon.quantize(Decimal("0.00001"))
    if area.centre_lat is None or area.centre_lon is None:
        errors["place"] = ValidationError(_("Choose a named place or mark the place on the map."), code="no_place")
        return None
    return area.centre_lat, area.centre_lon


def _known_names(area: Area) -> list[str]:
    """The area's and its places' names: their words are not people's names."""
    return [area.name, *Place.objects.filter(area=area).values_list("name", flat=True)]


def _check(data: ReportInput, *, now: datetime, errors: dict[str, Any]) -> None:
    if not data.category.active:
        errors["category"] = ValidationError(_("Choose one of the categories in use."), code="retired")
    if data.occurred_at > now + FUTURE_SLACK:
        errors["occurred_at"] = ValidationError(_("The time is in the future. Enter when it happened."),
                                                code="future")
    elif data.occurred_at < now - MAX_AGE:
        errors["occurred_at"] = ValidationError(
            _("The time is more than 30 days ago. Report only what happened in the last 30 days."), code="too_old"
        )
    text = data.text.strip()
    if len(text) > TEXT_MAX:
        errors["text"] = ValidationError(_("Write at most %(max)d characters.") % {"max": TEXT_MAX}, code="long")
    elif text:
        result = check_text(text, known=_known_names(data.area))
        if result.has_identity_number:
            errors["text"] = ValidationError(
                _("The text holds something that looks like a personal identity number. Remove it: "
                  "a report is about a place and what happened there, never about a person."),
                code="identity_number",
            )
        elif result.likely_names and not data.no_names_confirmed:
            errors["no_names"] = ValidationError(
                _("The text may name a person (%(words)s). Reports are about places, not people: remove "
                  "any name, or confirm that these words do not name anyone.")
                % {"words": ", ".join(f"“{w}”" for w in result.likely_names)},
                code="possible_name",
            )


def _count(*, area_id: int, week_start: date, category_id: int, source_kind: str, delta: int) -> None:
    key: dict[str, Any] = {"area_id": area_id, "week_start": week_start, "category_id": category_id,
                           "source_kind": source_kind}
    if delta > 0:
        row, _made = WeekCount.objects.get_or_create(**key)
        WeekCount.objects.filter(pk=row.pk).update(count=F("count") + delta)
    else:
        WeekCount.objects.filter(**key, count__gte=-delta).update(count=F("count") + delta)


@transaction.atomic(durable=True)
def report_create(*, actor: User, access: LocalAccess, data: ReportInput,
                  now: datetime | None = None) -> IncidentReport:
    """Save a report, count it in its week and audit it (no free text in the audit).
    PermissionDenied for an area the reporter may not report in (a forged form);
    ValidationError keyed by field for everything else."""
    access.require(LocalAction.REPORT, data.area)
    now = now or timezone.now()
    errors: dict[str, Any] = {}
    _check(data, now=now, errors=errors)
    point = _point(data, errors)
    prepared = None
    if data.photo is not None:
        try:
            prepared = photo_prepare(data.photo)
        except ValidationError as exc:
            errors.update(exc.error_dict)
    if errors or point is None:
        raise ValidationError(errors)
    organisation = actor.organisation
    report = IncidentReport(
        area=data.area, category=data.category, place=data.place, lat=point[0], lon=point[1],
        occurred_at=timezone.localtime(data.occurred_at), text=data.text.strip(), organisation=organisation,
        source_kind=organisation.kind, reporter=actor,
    )
    stored_name = ""
    try:
        if prepared is not None:
            report.photo.save(prepared.name, prepared.content, save=False)
            stored_name = report.photo.name or ""
        report.save()
        _count(area_id=data.area.pk, week_start=report.week_start, category_id=data.category.pk,
               source_kind=report.source_kind, delta=1)
        audit.record(
            action=Action.PICTURE_REPORT_CREATED, actor=actor, subject_type="picture_report", subject_id=report.pk,
            subject_organisation_id=organisation.pk,
            detail={"area": data.area.code, "category": data.category.code, "week": report.week_start.isoformat(),
                    "named_place": data.place is not None, "photo": prepared is not None},
        )
    except BaseException:
        if stored_name:  # the transaction is rolled back: leave no file behind
            default_storage.delete(stored_name)
        raise
    return report


@transaction.atomic(durable=True)
def report_withdraw(*, actor: User, access: LocalAccess, report: IncidentReport,
                    expected_version: int | None) -> None:
    """The reporter withdraws their own active report: it leaves the week's count and the
    picture, its photo is deleted (it may show someone), the rest is kept for the audit
    trail. StaleEdit when it was withdrawn or changed meanwhile."""
    access.require(LocalAction.WITHDRAW_REPORT, report)
    update_versioned(IncidentReport.objects.filter(status=ReportStatus.ACTIVE), pk=report.pk,
                     version=expected_version, status=ReportStatus.WITHDRAWN, photo="")
    _count(area_id=report.area_id, week_start=report.week_start, category_id=report.category_id,
           source_kind=report.source_kind, delta=-1)
    photo_name = report.photo.name if report.photo else ""
    if photo_name:
        transaction.on_commit(lambda: default_storage.delete(photo_name))
    audit.record(
        action=Action.PICTURE_REPORT_WITHDRAWN, actor=actor, subject_type="picture_report", subject_id=report.pk,
        subject_organisation_id=report.organisation_id, detail={"area": report.area_id, "photo": bool(photo_name)},
    )


def report_viewed(*, actor: User, report: IncidentReport, photo: bool = False) -> None:
    """Audit a read of one report (its page, or its photo)."""
    audit.record(
        action=Action.PICTURE_REPORT_PHOTO_VIEWED if photo else Action.PICTURE_REPORT_VIEWED, actor=actor,
        subject_type="picture_report", subject_id=report.pk, subject_organisation_id=report.organisation_id,
        detail={"area": report.area_id, "own": report.reporter_id == actor.pk},
    )


@transaction.atomic(durable=True)
def week_counts_rebuild(*, area_ids: list[int] | None = None) -> tuple[int, int]:
    """Rebuild WeekCount from the active reports (of ``area_ids``, or all): delete the
    rows and write them anew from one grouped query. Returns (rows, reports counted)."""
    counts = WeekCount.objects.all()
    reports = IncidentReport.objects.filter(status=ReportStatus.ACTIVE)
    if area_ids is not None:
        counts = counts.filter(area_id__in=area_ids)
        reports = reports.filter(area_id__in=area_ids)
    counts.delete()
    grouped = (reports.order_by().values("area_id", "week_start", "category_id", "source_kind")
               .annotate(n=Count("pk")))
    rows = total = 0
    batch: list[WeekCount] = []
    for g in grouped.iterator(chunk_size=5000):
        batch.append(WeekCount(area_id=g["area_id"], week_start=g["week_start"], category_id=g["category_id"],
                               source_kind=g["source_kind"], count=g["n"]))
        rows += 1
        total += g["n"]
        if len(batch) >= 5000:
            WeekCount.objects.bulk_create(batch)
            batch = []
    WeekCount.objects.bulk_create(batch)
    audit.record(action=Action.PICTURE_RECOUNTED, subject_type="picture_week_count",
                 detail={"rows": rows, "reports": total, "areas": len(area_ids) if area_ids else 0})
    return rows, total
