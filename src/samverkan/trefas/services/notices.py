"""Notices to forum members: in the app (a Notice row naming the kind, the forum and the
record) and, for a red rating, an e-mail that carries no personal data at all: only that
a person on the forum's list was rated red, and a link to log in.

A notice goes only to active members whose organisation is an active member of the
forum (the same rule as the forum decision); what the record says is shown only on its
page, which asks the forum decision itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from samverkan.directory.selectors import identity_mail_footer
from samverkan.trefas.models import Forum, ForumMember, ForumOrganisation, ForumRole, Listing, Notice, NoticeKind

if TYPE_CHECKING:
    from samverkan.accounts.models import User


def _recipients(forum: Forum, *, roles: Iterable[str] | None = None) -> list[tuple[int, str]]:
    return _recipients_of(forum.pk, roles=roles)


def _recipients_of(forum_id: int, *, roles: Iterable[str] | None = None) -> list[tuple[int, str]]:
    """(user id, e-mail) of the forum's active members (``roles``: only those)."""
    qs = ForumMember.objects.filter(
        forum_id=forum_id,
        active=True,
        user__is_active=True,
        user__organisation_id__in=ForumOrganisation.objects.filter(forum_id=forum_id, active=True).values(
            "organisation_id"
        ),
    )
    if roles is not None:
        qs = qs.filter(role__in=list(roles))
    return list(qs.order_by("user_id").values_list("user_id", "user__email"))


def forum_member_ids(*, forum_id: int, roles: Iterable[str] | None = None) -> list[int]:
    """The users who take part in the forum now (the forum decision's membership rule:
    an active named member, an active user, their organisation an active member)."""
    return [user_id for user_id, _email in _recipients_of(forum_id, roles=roles)]


def notify_forum(*, forum_id: int, kind: str, user_ids: Iterable[int] | None = None, **refs: Any) -> list[int]:
    """One notice of ``kind`` per user (default: every member of the forum); ``refs`` name
    the record (listing, incident, release, share). Returns the users notified."""
    users = forum_member_ids(forum_id=forum_id) if user_ids is None else list(user_ids)
    Notice.objects.bulk_create([Notice(user_id=uid, forum_id=forum_id, kind=kind, **refs) for uid in users])
    return users


def red_rating_mail(forum: Forum) -> tuple[str, str]:
    """(subject, body) of the red-rating e-mail: the forum's name and a link, nothing
    about the person (no name, no rating reason, no identity number, no listing id)."""
    link = settings.SAMVERKAN_BASE_URL.rstrip("/") + reverse("trefas:forums")
    subject = _("Samverkan: a person on the list of %(forum)s was rated red") % {"forum": forum.name}
    body = "\n".join(
        [
            _("A person on the list of %(forum)s was rated red (acute risk of lethal violence).")
            % {"forum": forum.name},
            "",
            _("Log in to see the list: %(link)s") % {"link": link},
            "",
            _("This message never contains names or other details. Do not reply to it."),
        ]
    )
    return subject, body


def notify_red_rating(*, forum: Forum, listing: Listing) -> dict[str, int]:
    """A RED_RATING notice for every active member of the forum, and the e-mail (sent
    after the transaction commits, so a rolled-back rating sends nothing). Returns counts."""
    recipients = _recipients(forum)
    Notice.objects.bulk_create(
        [Notice(user_id=user_id, forum_id=forum.pk, kind=NoticeKind.RED_RATING, listing_id=listing.pk)
         for user_id, _email in recipients]
    )
    addresses = sorted({email for _user_id, email in recipients if email})
    if addresses:
        with translation.override(settings.LANGUAGE_CODE):
            subject, body = red_rating_mail(forum)
        body += identity_mail_footer()

        def send() -> None:
            # One message per member: no member learns who else is in the forum.
            for address in addresses:
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])

        transaction.on_commit(send)
    return {"notices": len(recipients), "emails": len(addresses)}


def notify_review_due(*, forum: Forum, listings: Sequence[Listing]) -> int:
    """A REVIEW_DUE notice per listing for each of the forum's coordinators (in the app
    only). Returns the number of notices."""
    coordinators = [user_id for user_id, _email in _recipients(forum, roles=[ForumRole.COORDINATOR])]
    notices = [
        Notice(user_id=user_id, forum_id=forum.pk, kind=NoticeKind.REVIEW_DUE, listing_id=listing.pk)
        for listing in listings
        for user_id in coordinators
    ]
    Notice.objects.bulk_create(notices)
    return len(notices)


@transaction.atomic(durable=True)
def notices_mark_read(*, actor: User, notice_ids: Iterable[int] | None = None) -> int:
    """Mark the actor's own notices read (``notice_ids``: only those; None: all).
    Another user's notice is never touched. Returns how many were marked."""
    qs = Notice.objects.filter(user_id=actor.pk, read_at__isnull=True)
    if notice_ids is not None:
        qs = qs.filter(pk__in=list(notice_ids))
    return qs.update(read_at=timezone.now())
