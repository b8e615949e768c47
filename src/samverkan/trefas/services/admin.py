"""Forum administration (system administrators, TREFAS_FORUM_MANAGE): forums, their
member organisations and their named members. Every change is audited (ids and counts
only) in the same transaction; the forum's settings use optimistic locking
(Forum.version)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.access import policy
from samverkan.access.permissions import Permission
from samverkan.access.roles import RoleCode
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.directory.models import Area, District, Organisation
from samverkan.lib.concurrency import StaleEdit, update_versioned
from samverkan.trefas.models import Forum, ForumMember, ForumOrganisation, ForumRole, MemberKind

if TYPE_CHECKING:
    from samverkan.accounts.models import User

__all__ = ["CADENCE_MAX", "CADENCE_MIN", "REMINDER_WEEKS_MAX", "StaleEdit", "forum_save",
           "member_deactivate", "member_save", "organisation_save", "validate_reminder_weeks"]

CADENCE_MIN, CADENCE_MAX = 7, 60
REMINDER_WEEKS_MAX = 12


def _require(actor: User) -> None:
    if not policy.has_permission(actor, Permission.TREFAS_FORUM_MANAGE):
        raise PermissionDenied


def validate_reminder_weeks(value: Any) -> list[int]:
    """A list of whole weeks from 1 to 12 (at least one, each once), largest first."""
    if not isinstance(value, list | tuple) or not value:
        raise ValidationError(_("Give at least one number of weeks."), code="empty")
    weeks: list[int] = []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, int) or not 1 <= item <= REMINDER_WEEKS_MAX:
            raise ValidationError(
                _("Each reminder is a whole number of weeks from 1 to %(max)d.") % {"max": REMINDER_WEEKS_MAX},
                code="range",
            )
        if item in weeks:
            raise ValidationError(_("Each number of weeks only once."), code="duplicate")
        weeks.append(item)
    return sorted(weeks, reverse=True)


def _check_forum(forum: Forum) -> None:
    problems: dict[str, Any] = {}
    if not CADENCE_MIN <= (forum.cadence_days or 0) <= CADENCE_MAX:
        problems["cadence_days"] = _("The meeting cycle is from %(min)d to %(max)d days.") % {
            "min": CADENCE_MIN, "max": CADENCE_MAX}
    try:
        forum.release_reminder_weeks = validate_reminder_weeks(forum.release_reminder_weeks)
    except ValidationError as exc:
        problems["release_reminder_weeks"] = exc.messages
    if not (forum.name or "").strip():
        problems["name"] = _("Give the forum a name.")
    if problems:
        raise ValidationError(problems)
    clash = Forum.objects.filter(code=forum.code)
    if forum.pk is not None:
        clash = clash.exclude(pk=forum.pk)
    if clash.exists():
        raise ValidationError({"code": _("Another forum already has this short code.")})


@transaction.atomic(durable=True)
def forum_save(
    *, actor: User, forum: Forum, districts: Iterable[District], areas: Iterable[Area],
    expected_version: int | None = None,
) -> Forum:
    """Create (``forum.pk`` is None) or update a forum's settings. An update is written
    only while the stored version is ``expected_version`` (else StaleEdit, nothing
    written). Audited TREFAS_FORUM_CREATED / TREFAS_FORUM_UPDATED."""
    _require(actor)
    _check_forum(forum)
    created = forum.pk is None
    if created:
        forum.version = 1
        forum.save()
    else:
        fields = ["name", "code", "cadence_days", "release_reminder_weeks", "active"]
        update_versioned(Forum, pk=forum.pk, version=expected_version,
                         **{name: getattr(forum, name) for name in fields})
    district_list, area_list = list(districts), list(areas)
    forum.districts.set(district_list)
    forum.areas.set(area_list)
    forum.refresh_from_db()
    audit.record(
        action=Action.TREFAS_FORUM_CREATED if created else Action.TREFAS_FORUM_UPDATED,
        actor=actor,
        subject_type="trefas_forum",
        subject_id=forum.pk,
        detail={
            "districts": len(district_list),
            "areas": len(area_list),
            "cadence_days": forum.cadence_days,
            "active": forum.active,
        },
    )
    return forum


def _locked_forum(forum_id: int) -> Forum:
    """The forum row, locked: membership changes of one forum happen one at a time."""
    return Forum.objects.select_for_update().get(pk=forum_id)


@transaction.atomic(durable=True)
def organisation_save(
    *, actor: User, forum: Forum, organisation: Organisation, kind: str, active: bool = True,
    joined_on: date | None = None,
) -> ForumOrganisation:
    """Add an organisation to the forum, or change its kind or active flag. Deactivating
    it takes effect at once for all its named members (the forum decision checks both)."""
    _require(actor)
    if kind not in MemberKind.values:
        raise ValidationError({"kind": _("Choose what the organisation takes part as.")})
    if not organisation.active and active:
        raise ValidationError({"organisation": _("The organisation is inactive in the directory.")})
    _locked_forum(forum.pk)
    row = ForumOrganisation.objects.filter(forum=forum, organisation=organisation).first()
    created = row is None
    if row is None:
        row = ForumOrganisation.objects.create(
            forum=forum, organisation=organisation, kind=kind, active=active,
            joined_on=joined_on or timezone.localdate(),
        )
    else:
        ForumOrganisation.objects.filter(pk=row.pk).update(kind=kind, active=active)
        row.refresh_from_db()
    audit.record(
        action=Action.TREFAS_MEMBERSHIP_CHANGED,
        actor=actor,
        subject_type="trefas_forum",
        subject_id=forum.pk,
        subject_organisation_id=organisation.pk,
        detail={"organisation": organisation.pk, "kind": kind, "active": active, "created": created},
    )
    return row


def _check_member(forum: Forum, user: User, role: str) -> None:
    if role not in ForumRole.values:
        raise ValidationError({"role": _("Choose a role in the forum.")})
    if not user.is_active:
        raise ValidationError({"user": _("This account is not active.")})
    member_org = ForumOrganisation.objects.filter(
        forum=forum, organisation_id=user.organisation_id, active=True).exists()
    if not member_org:
        raise ValidationError({"user": _(
            "Only staff of the forum's member organisations can be named. Add their organisation first.")})
    if role == ForumRole.JURIST:
        if RoleCode.JURIST.value not in user.role_codes():
            raise ValidationError({"role": _(
                "A jurist in the forum must hold the jurist role. Give the person that role first "
                "(staff accounts), or choose another role in the forum.")})
    elif not policy.has_permission(user, Permission.TREFAS_VIEW):
        raise ValidationError({"role": _(
            "This person has no role that lets them see Trefas forums (permission %(perm)s). "
            "Give them such a role first (staff accounts).") % {"perm": Permission.TREFAS_VIEW.value}})


@transaction.atomic(durable=True)
def member_save(*, actor: User, forum: Forum, user: User, role: str) -> ForumMember:
    """Name a member (or change their role, or take them back in). Only staff of an
    active member organisation; a jurist must hold the jurist role, a coordinator or
    member a role with ``trefas:forum:view``."""
    _require(actor)
    _locked_forum(forum.pk)
    _check_member(forum, user, role)
    row = ForumMember.objects.filter(forum=forum, user=user).first()
    created = row is None
    if row is None:
        row = ForumMember.objects.create(forum=forum, user=user, role=role, active=True, added_by=actor)
    else:
        ForumMember.objects.filter(pk=row.pk).update(role=role, active=True)
        row.refresh_from_db()
    audit.record(
        action=Action.TREFAS_MEMBERSHIP_CHANGED,
        actor=actor,
        subject_type="trefas_forum",
        subject_id=forum.pk,
        subject_organisation_id=user.organisation_id,
        detail={"user": user.pk, "role": role, "active": True, "created": created},
    )
    return row


@transaction.atomic(durable=True)
def member_deactivate(*, actor: User, forum: Forum, member: ForumMember) -> ForumMember:
    """Take a named member out of the forum (the row stays, inactive: who took part when
    is kept). From the next request they see nothing of the forum."""
    _require(actor)
    _locked_forum(forum.pk)
    if member.forum_id != forum.pk:
        raise PermissionDenied
    ForumMember.objects.filter(pk=member.pk).update(active=False)
    member.refresh_from_db()
    audit.record(
        action=Action.TREFAS_MEMBERSHIP_CHANGED,
        actor=actor,
        subject_type="trefas_forum",
        subject_id=forum.pk,
        subject_organisation_id=member.user.organisation_id,
        detail={"user": member.user_id, "role": member.role, "active": False, "created": False},
    )
    return member
