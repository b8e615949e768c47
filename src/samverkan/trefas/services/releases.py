"""Releases and leaves: Kriminalvården registers an upcoming release or leave of a listed
person, the forum plans for it (actions per organisation), and every member is reminded
a configurable number of weeks before (``Forum.release_reminder_weeks``, default 4 and 1).

The conditions of a release are not stored here: they travel only as a share (topic
``release_conditions``) that the owning organisation's jurist reviews. Reminder e-mails
carry a count and a link, never a name, an identity number, a date or a place.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samverkan.accounts.models import User
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.directory.selectors import identity_mail_footer
from samverkan.lib.concurrency import StaleEdit, update_versioned
from samverkan.trefas.decision import TrefasAccess, TrefasAction
from samverkan.trefas.models import (
    ActionItem,
    ActionStatus,
    Listing,
    NoticeKind,
    Rating,
    Release,
)
from samverkan.trefas.services.actions import action_generate
from samverkan.trefas.services.notices import forum_member_ids, notify_forum

if TYPE_CHECKING:
    from samverkan.directory.models import Organisation

__all__ = ["StaleEdit", "release_action_add", "release_cancel", "release_register", "release_reminders_send"]


def _red(listing: Listing) -> dict[str, bool]:
    return {"red": True} if listing.rating == Rating.RED else {}


@transaction.atomic(durable=True)
def release_register(*, actor: User, access: TrefasAccess, listing: Listing, kind: str, on: date) -> Release:
    """Register an upcoming release or leave of a person on the forum's list. Only
    Kriminalvården's member organisations (REGISTER_RELEASE); the date may not be in
    the past."""
    access.require(TrefasAction.REGISTER_RELEASE)
    if listing.forum_id != access.forum_id or listing.removed_at is not None:
        raise PermissionDenied
    if on < timezone.localdate():
        raise ValidationError({"date": _("The date has passed.")})
    assert actor.organisation_id is not None
    release = Release.objects.create(
        forum_id=access.forum_id, listing=listing, kind=kind, date=on, registered_by=actor,
        registered_by_organisation_id=actor.organisation_id,
    )
    audit.record(
        action=Action.TREFAS_RELEASE_REGISTERED, actor=actor, subject_type="trefas_release", subject_id=release.pk,
        subject_organisation_id=actor.organisation_id,
        detail={"forum": access.forum_id, "listing": listing.pk, "kind": kind, **_red(listing)},
    )
    return release


@transaction.atomic(durable=True)
def release_cancel(*, actor: User, access: TrefasAccess, release: Release, expected_version: int | None) -> None:
    """Cancel a release or leave (the registering Kriminalvården organisation:
    CANCEL_RELEASE); its plan's open actions are cancelled with it. Optimistic lock."""
    access.require(TrefasAction.CANCEL_RELEASE, release)
    if release.forum_id != access.forum_id:
        raise PermissionDenied
    update_versioned(Release.objects.filter(cancelled_at__isnull=True), pk=release.pk, version=expected_version,
                     cancelled_at=timezone.now())
    cancelled = ActionItem.objects.filter(release=release, status=ActionStatus.OPEN).update(
        status=ActionStatus.CANCELLED)
    audit.record(
        action=Action.TREFAS_RELEASE_UPDATED, actor=actor, subject_type="trefas_release", subject_id=release.pk,
        subject_organisation_id=release.registered_by_organisation_id,
        detail={"forum": release.forum_id, "cancelled": True, "actions_cancelled": cancelled},
    )


def _end_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(23, 59)))


@transaction.atomic(durable=True)
def release_action_add(*, actor: User, access: TrefasAccess, release: Release, organisation: Organisation,
                       title: str, due_on: date) -> ActionItem:
    """Add an action to the release plan for one member organisation (the forum's
    coordinators or Kriminalvården: PLAN_RELEASE). Due at the end of ``due_on``."""
    access.require(TrefasAction.PLAN_RELEASE)
    if release.forum_id != access.forum_id:
        raise PermissionDenied
    if release.cancelled_at is not None:
        raise ValidationError(_("The release is cancelled."))
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": _("The date has passed.")})
    # (The organisation, the title and the rest: action_generate checks them as for any action.)
    action = action_generate(
        forum=release.forum, organisation=organisation, title=title, due_at=_end_of_day(due_on),
        release=release, listing=release.listing, created_by=actor,
    )
    return action


# --- Reminders before a release ----------------------------------------------------------


def reminder_text(count: int) -> tuple[str, str]:
    """(subject, body) of a member's reminder e-mail: a count and a link, nothing else."""
    link = settings.SAMVERKAN_BASE_URL.rstrip("/") + reverse("trefas:forums")
    subject = _("Samverkan: a release or leave is coming up in Trefas")
    body = "\n".join([
        ngettext("%(n)d release or leave is coming up in a Trefas forum you take part in.",
                 "%(n)d releases or leaves are coming up in the Trefas forums you take part in.", count)
        % {"n": count},
        "",
        _("Log in to see them: %(link)s") % {"link": link},
        "",
        _("This message never contains names or other details. Do not reply to it."),
    ])
    return subject, body


def _due_reminders(release: Release, weeks: list[int], today: date) -> list[int]:
    """The reminders (in weeks before) whose time has come and that were not yet sent."""
    days_left = (release.date - today).days
    sent = set(release.reminders_sent or [])
    return sorted(w for w in weeks if w not in sent and days_left <= 7 * w)


@transaction.atomic(durable=True)
def release_reminders_send(*, today: date | None = None) -> dict[str, int]:
    """The periodic job ``trefas.release_reminders``: for every coming release or leave
    (not cancelled, today or later) whose reminder N weeks before is due and not yet sent
    (``Release.reminders_sent``), one in-app notice per forum member, then one e-mail per
    member with an address saying how many. Reminders whose time came together (a release
    registered late) go out as one. Idempotent: run twice, sends once. Audited: counts."""
    today = today or timezone.localdate()
    notified: Counter[int] = Counter()
    releases = 0
    for release in (
        Release.objects.select_for_update(of=("self",))
        .filter(cancelled_at__isnull=True, date__gte=today, forum__active=True, listing__removed_at__isnull=True)
        .select_related("forum").order_by("date", "pk")
    ):
        weeks = [int(w) for w in (release.forum.release_reminder_weeks or []) if str(w).isdigit()]
        due = _due_reminders(release, weeks, today)
        if not due:
            continue
        try:
            update_versioned(Release, pk=release.pk, version=release.version,
                             reminders_sent=sorted({*(release.reminders_sent or []), *due}))
        except StaleEdit:  # (changed since read: the next run sees it)
            continue
        users = forum_member_ids(forum_id=release.forum_id)
        notify_forum(forum_id=release.forum_id, kind=NoticeKind.RELEASE_SOON, user_ids=users,
                     release=release, listing_id=release.listing_id)
        notified.update(users)
        releases += 1
    emails = 0
    footer = identity_mail_footer()  # the organisation's name and contact details
    with translation.override(settings.LANGUAGE_CODE):
        for user in User.objects.filter(pk__in=list(notified), is_active=True).exclude(email="").order_by("pk"):
            subject, body = reminder_text(notified[user.pk])
            send_mail(subject, body + footer, settings.DEFAULT_FROM_EMAIL, [user.email])
            emails += 1
    result = {"releases": releases, "notices": sum(notified.values()), "emails": emails}
    audit.record(action=Action.TREFAS_RELEASE_REMINDED, subject_type="trefas_releases", detail=result)
    return result
