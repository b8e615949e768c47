"""Writing reminders: the refresh that keeps generated reminders in step with their
sources, a user's own reminders on a case, marking done, and the e-mail digest.

The digest carries counts and a link only — never a name, an identity number, a case
id or any text from a note or a reminder (tests assert it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date

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
from samverkan.caseaccess import CaseAction
from samverkan.caseaccess.decision import CaseAccess
from samverkan.cases.models import Case
from samverkan.directory.selectors import identity_mail_footer
from samverkan.reminders import selectors
from samverkan.reminders.models import GENERATED_KINDS, Reminder, ReminderKind

_CASE_SOURCES = (
    selectors.commitment_sources,
    selectors.meeting_sources,
    selectors.consent_sources,
    selectors.retention_sources,
    selectors.follow_up_sources,
)


def _sync(wanted: list[selectors.Wanted], existing_rows: Iterable[Reminder]) -> dict[str, int]:
    """Make ``existing_rows`` (the generated reminders in scope) match ``wanted``: create
    the missing ones, move changed due dates, and delete open ones whose source no longer
    applies (a done reminder is kept so that it does not come back)."""
    by_key = {(w.user_id, w.kind, w.source_type, w.source_id): w for w in wanted}
    existing = {(r.user_id, r.kind, r.source_type, r.source_id): r for r in existing_rows}
    updated = removed = 0
    stale = [r.pk for key, r in existing.items() if key not in by_key and not r.done]
    if stale:
        removed = Reminder.objects.filter(pk__in=stale).delete()[0]
    new = []
    for key, w in by_key.items():
        row = existing.get(key)
        if row is None:
            new.append(
                Reminder(
                    user_id=w.user_id,
                    case_id=w.case_id,
                    kind=w.kind,
                    due_on=w.due_on,
                    source_type=w.source_type,
                    source_id=w.source_id,
                    recorded_by_organisation_id=w.organisation_id,
                )
            )
        elif row.due_on != w.due_on:
            # A moved date is a new reminder: it comes back even if the old one was done.
            Reminder.objects.filter(pk=row.pk).update(due_on=w.due_on, done=False, done_at=None)
            updated += 1
    # A refresh of the same case in a concurrent transaction may have made the same row.
    Reminder.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    return {"created": len(new), "updated": updated, "removed": removed, "wanted": len(by_key)}


@transaction.atomic
def reminders_refresh(*, today: date | None = None, actor: User | None = None) -> dict[str, int]:
    """Bring every generated reminder in step with its source (the nightly job: it also
    catches what time alone changes, e.g. a commitment coming within the window).
    Audited with counts only."""
    today = today or timezone.localdate()
    wanted: list[selectors.Wanted] = []
    for source in (*_CASE_SOURCES, selectors.cycle_step_sources):
        wanted.extend(source(today=today))
    result = _sync(wanted, Reminder.objects.filter(kind__in=GENERATED_KINDS))
    audit.record(
        action=Action.REMINDERS_REFRESHED, actor=actor, subject_type="reminders", detail=result
    )
    return result


@transaction.atomic
def refresh_for_case(case: Case, *, today: date | None = None) -> dict[str, int]:
    """Bring one case's generated reminders in step with its facts, at once.

    Called through the cases.changes hook (registered in RemindersConfig.ready) by every
    service that changes what reminders are derived from — a meeting booked, moved or
    cancelled, a commitment added, changed or completed, a consent recorded or withdrawn,
    the team, the status, closure and follow-ups — inside that service's transaction.
    Not audited on its own: the change that caused it is (reminders hold no personal
    data; they are read through the policy)."""
    today = today or timezone.localdate()
    current = Case.objects.select_related("programme").get(pk=case.pk)
    wanted: list[selectors.Wanted] = []
    for source in _CASE_SOURCES:
        wanted.extend(source(today=today, case=current))
    return _sync(wanted, Reminder.objects.filter(case_id=current.pk, kind__in=GENERATED_KINDS))


@transaction.atomic
def reminder_create(
    *, actor: User, case: Case, access: CaseAccess, due_on: date, note: str
) -> Reminder:
    """An own reminder on a case the actor is on the team of (not with emergency access)."""
    access.require(CaseAction.REMIND)
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Write what to remember.")})
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": _("The date has passed.")})
    reminder = Reminder.objects.create(
        user=actor,
        case=case,
        kind=ReminderKind.CUSTOM,
        due_on=due_on,
        note=note[:300],
        recorded_by_organisation_id=actor.organisation_id,
        created_by=actor,
    )
    audit.record(
        action=Action.REMINDER_CREATED,
        actor=actor,
        subject_type="case",
        subject_id=case.public_id,
        subject_organisation_id=case.lead_organisation_id,
        detail={"reminder": reminder.pk},
    )
    return reminder


@transaction.atomic
def reminder_set_done(*, actor: User, reminder: Reminder, done: bool = True) -> Reminder:
    """Mark one of the actor's own reminders done (or open again)."""
    if reminder.user_id != actor.pk:
        raise PermissionDenied
    Reminder.objects.filter(pk=reminder.pk).update(
        done=done, done_at=timezone.now() if done else None
    )
    audit.record(
        action=Action.REMINDER_DONE,
        actor=actor,
        subject_type="reminder",
        subject_id=reminder.pk,
        detail={"done": done, "kind": reminder.kind},
    )
    reminder.refresh_from_db()
    return reminder


# --- E-mail digest -------------------------------------------------------------------

DIGEST_WITHIN_DAYS = 7


def _count_phrase(kind: str, n: int) -> str:
    phrases = {
        ReminderKind.COMMITMENT_DUE: ngettext("%(n)d commitment due", "%(n)d commitments due", n),
        ReminderKind.MEETING: ngettext("%(n)d meeting coming up", "%(n)d meetings coming up", n),
        ReminderKind.CONSENT_EXPIRING: ngettext(
            "%(n)d consent expiring", "%(n)d consents expiring", n
        ),
        ReminderKind.RETENTION_DATE: ngettext(
            "%(n)d case reaching its retention date", "%(n)d cases reaching their retention date", n
        ),
        ReminderKind.FOLLOW_UP_DUE: ngettext(
            "%(n)d follow-up after closure due", "%(n)d follow-ups after closure due", n
        ),
        ReminderKind.CYCLE_STEP: ngettext(
            "%(n)d crime-prevention step due", "%(n)d crime-prevention steps due", n
        ),
        ReminderKind.CUSTOM: ngettext("%(n)d own reminder", "%(n)d own reminders", n),
    }
    return phrases[ReminderKind(kind)] % {"n": n}


def digest_text(counts: Counter[str]) -> tuple[str, str]:
    """(subject, body) of one user's digest: counts and a link, nothing else."""
    total = sum(counts.values())
    parts = [_count_phrase(kind, counts[kind]) for kind in ReminderKind.values if counts.get(kind)]
    link = settings.SAMVERKAN_BASE_URL.rstrip("/") + reverse("reminders:mine")
    subject = ngettext("Samverkan: %(n)d reminder", "Samverkan: %(n)d reminders", total) % {
        "n": total
    }
    body = "\n".join(
        [
            _("You have reminders in Samverkan for the coming %(days)d days:")
            % {"days": DIGEST_WITHIN_DAYS},
            "",
            *[f"- {p}" for p in parts],
            "",
            _("Log in to see them: %(link)s") % {"link": link},
            "",
            _("This message never contains names or other details. Do not reply to it."),
        ]
    )
    return subject, body


def digest_send(*, today: date | None = None) -> dict[str, int]:
    """Send each active user with an e-mail address one digest of their open reminders
    due within DIGEST_WITHIN_DAYS (only those they may still see). Audited: counts only."""
    today = today or timezone.localdate()
    user_ids = set(Reminder.objects.filter(done=False).values_list("user_id", flat=True))
    sent = 0
    footer = identity_mail_footer()  # the organisation's name and contact details
    with translation.override(settings.LANGUAGE_CODE):
        for user in (
            User.objects.filter(pk__in=user_ids, is_active=True)
            .exclude(email="")
            .prefetch_related("roles")
        ):
            counts = selectors.due_counts(actor=user, within_days=DIGEST_WITHIN_DAYS, today=today)
            if not counts:
                continue
            subject, body = digest_text(counts)
            send_mail(subject, body + footer, settings.DEFAULT_FROM_EMAIL, [user.email])
            sent += 1
    result = {"users": len(user_ids), "sent": sent}
    audit.record(action=Action.REMINDER_DIGEST_SENT, subject_type="reminders", detail=result)
    return result
