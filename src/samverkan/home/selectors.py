"""What each person must do today, assembled from the domain apps' selectors.

Each section appears only for users whose permissions make it relevant, and only
counts what the policy lets the user see.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samverkan.access import policy
from samverkan.access.permissions import Permission
from samverkan.accounts import selectors as accounts
from samverkan.accounts.models import User
from samverkan.directory.selectors import areas_missing_latest_classification
from samverkan.jobs.selectors import jobs_visible_to
from samverkan.logreview.selectors import open_items_count
from samverkan.logreview.trail_selectors import audit_events_visible_to
from samverkan.picture.decision import LocalAction
from samverkan.picture.selectors.meetings import overdue_action_tasks
from samverkan.picture.selectors.scope import local_access_for
from samverkan.reminders.selectors import due_counts
from samverkan.rostering.selectors import area_track_tasks


@dataclass
class Task:
    text: str
    url: str = ""
    count: int | None = None
    urgent: bool = False


@dataclass
class Home:
    tasks: list[Task] = field(default_factory=list)
    sections: dict[str, Any] = field(default_factory=dict)


def home_for(*, user: User) -> Home:
    home = Home()
    remaining = accounts.recovery_codes_remaining(user=user)
    if remaining < 3:
        home.tasks.append(
            Task(
                ngettext(
                    "You have %(n)d recovery code left: make new ones.",
                    "You have %(n)d recovery codes left: make new ones.",
                    remaining,
                )
                % {"n": remaining},
                reverse("accounts:recovery_codes"),
                urgent=True,
            )
        )

    if policy.has_permission(user, Permission.ORG_USERS_MANAGE) or policy.has_permission(
        user, Permission.ALL_USERS_MANAGE
    ):
        users = accounts.users_visible_to(actor=user)
        pending = users.filter(is_active=True).exclude(totpdevice__confirmed=True).count()
        if pending:
            home.tasks.append(
                Task(
                    ngettext(
                        "%(n)d active account has not set up two-factor login yet.",
                        "%(n)d active accounts have not set up two-factor login yet.",
                        pending,
                    )
                    % {"n": pending},
                    reverse("accounts:user_list"),
                    count=pending,
                )
            )
        home.sections["users"] = {
            "active": users.filter(is_active=True).count(),
            "disabled": users.filter(is_active=False).count(),
        }

    if policy.has_permission(user, Permission.AUDIT_VIEW_OWN_ORG) or policy.has_permission(
        user, Permission.AUDIT_VIEW_ALL
    ):
        since = (time.time_ns() // 1000) - 24 * 3600 * 1_000_000
        events = audit_events_visible_to(user=user).filter(ts__gte=since)
        failed = events.filter(action__in=["auth.login_failed", "auth.locked_out", "2fa.failed"]).count()
        home.sections["audit"] = {"last_day": events.count(), "failed": failed}
        if failed:
            home.tasks.append(
                Task(
                    ngettext(
                        "%(n)d failed login or code in the last 24 hours: review them.",
                        "%(n)d failed logins or codes in the last 24 hours: review them.",
                        failed,
                    )
                    % {"n": failed},
                    reverse("audit:event_list") + "?category=failed",
                    count=failed,
                )
            )

    if policy.has_permission(user, Permission.AUDIT_VERIFY):
        job = jobs_visible_to(user=user).filter(kind="audit.verify").order_by("-created_at").first()
        home.sections["verify"] = job
        if job is None or job.finished_at is None or (time.time() - job.finished_at.timestamp()) > 7 * 24 * 3600:
            home.tasks.append(
                Task(
                    _("The audit trail has not been verified in the last 7 days: run a verification."),
                    reverse("audit:verify"),
                )
            )

    if policy.has_permission(user, Permission.DIRECTORY_MANAGE):
        missing = areas_missing_latest_classification()
        if missing:
            home.tasks.append(
                Task(
                    ngettext(
                        "%(n)d area has no classification for the latest police list year.",
                        "%(n)d areas have no classification for the latest police list year.",
                        missing,
                    )
                    % {"n": missing},
                    reverse("directory:area_list"),
                    count=missing,
                )
            )

    for text, url, count in area_track_tasks(user=user):
        home.tasks.append(Task(text, url, count=count))

    # The weekly EST meetings: the own organisation's overdue actions, for its meeting runners.
    for text, url, count in overdue_action_tasks(user=user):
        home.tasks.append(Task(text, url, count=count, urgent=True))

    if policy.has_permission(user, Permission.CASE_VIEW) or policy.has_permission(user, Permission.RETENTION_MANAGE):
        due = sum(due_counts(actor=user).values())
        if due:
            text = ngettext("%(n)d reminder due today.", "%(n)d reminders due today.", due)
            home.tasks.append(Task(text % {"n": due}, reverse("reminders:mine"), count=due))

    if policy.can_review_accesses(actor=user):
        review, open_items = open_items_count(actor=user)
        if review is not None and open_items:
            text = ngettext(
                "%(n)d access in the log review of %(month)s is not reviewed yet.",
                "%(n)d accesses in the log review of %(month)s are not reviewed yet.",
                open_items,
            ) % {"n": open_items, "month": review.month.strftime("%Y-%m")}
            url = reverse("logreview:review", args=[review.month.year, review.month.month])
            home.tasks.append(Task(text, url, count=open_items))
    # Incident reporting (EST): a way in for everyone who may report somewhere.
    if policy.has_permission(user, Permission.PICTURE_REPORT) and local_access_for(user).may(LocalAction.REPORT):
        home.sections["picture_report"] = True
    if policy.has_permission(user, Permission.PICTURE_CATALOGUE_MANAGE):
        home.sections["picture_catalogue"] = True
    return home


def lands_on_report_form(*, user: User, home: Home) -> bool:
    """External reporters (whose only permission is to report) go straight to the report
    form, unless something urgent (e.g. their last recovery codes) is waiting on the home
    page."""
    if "picture_report" not in home.sections or any(task.urgent for task in home.tasks):
        return False
    return set(policy.permissions_of(user)) == {Permission.PICTURE_REPORT}
