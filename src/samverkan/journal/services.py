"""Journal notes: drafts may be edited by their author; signed notes never change.
A correction is a new note referencing the old one. Only the retention purge deletes."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.caseaccess import CaseAction
from samverkan.caseaccess.decision import CaseAccess
from samverkan.cases.models import Case, InformationCategory
from samverkan.cases.services import case_touch, require_case_open
from samverkan.journal.models import JournalNote
from samverkan.lib.concurrency import StaleEdit as StaleEdit  # re-exported: services.StaleEdit
from samverkan.lib.concurrency import update_versioned

if TYPE_CHECKING:
    from samverkan.accounts.models import User

MAX_TEXT = 20_000


def _audit(action: Action, actor: User, case: Case, note: JournalNote) -> None:
    # The note's database id, not its UUID: audit detail refuses strings shaped like an
    # identity number, and a UUID's digit runs occasionally are.
    detail: dict[str, Any] = {"note": note.pk, "category": note.category}
    if note.corrects_id:
        detail["corrects"] = note.corrects_id
    audit.record_case_event(
        action, actor, case, detail, subject_organisation_id=note.recorded_by_organisation_id
    )


def _validate(*, category: str, occurred_on: date, text: str) -> None:
    errors: dict[str, str] = {}
    if category not in InformationCategory.values:
        errors["category"] = _("Choose a category.")
    if not text.strip():
        errors["text"] = _("Write the note.")
    elif len(text) > MAX_TEXT:
        errors["text"] = _("A note has at most %(n)d characters.") % {"n": MAX_TEXT}
    if occurred_on > timezone.localdate():
        errors["occurred_on"] = _("The date is in the future.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def note_create(
    *,
    actor: User,
    case: Case,
    access: CaseAccess,
    category: str,
    occurred_on: date,
    text: str,
    sign: bool = False,
    corrects: JournalNote | None = None,
) -> JournalNote:
    """A note recorded by the actor's organisation (draft, or signed at once)."""
    access.require(CaseAction.WRITE_NOTE)
    require_case_open(case)
    _validate(category=category, occurred_on=occurred_on, text=text)
    if corrects is not None:
        if corrects.case_id != case.pk or corrects.signed_at is None:
            raise ValidationError(_("Only a signed note of this case can be corrected."))
        access.require(CaseAction.WRITE_NOTE, corrects)  # one's own organisation's
    note = JournalNote.objects.create(
        case=case,
        recorded_by_organisation_id=actor.organisation_id,
        author=actor,
        category=category,
        occurred_on=occurred_on,
        text=text.strip(),
        corrects=corrects,
        signed_at=timezone.now() if sign else None,
    )
    case_touch(case=case)
    _audit(Action.NOTE_CORRECTED if corrects else Action.NOTE_CREATED, actor, case, note)
    if sign:
        _audit(Action.NOTE_SIGNED, actor, case, note)
    return note


@transaction.atomic
def note_update_draft(
    *,
    actor: User,
    case: Case,
    access: CaseAccess,
    note: JournalNote,
    expected_version: int,
    text: str,
    category: str,
    occurred_on: date,
) -> JournalNote:
    access.require(CaseAction.WRITE_NOTE)
    require_case_open(case)
    if note.author_id != actor.pk or note.case_id != case.pk:
        raise PermissionDenied
    if note.signed_at is not None:
        raise ValidationError(_("A signed note cannot be changed; write a correction instead."))
    _validate(category=category, occurred_on=occurred_on, text=text)
    try:
        update_versioned(
            JournalNote.objects.filter(signed_at__isnull=True),
            pk=note.pk,
            version=expected_version,
            text=text.strip(),
            category=category,
            occurred_on=occurred_on,
        )
    except StaleEdit:
        if not JournalNote.objects.filter(pk=note.pk, signed_at__isnull=True).exists():
            raise ValidationError(_("A signed note cannot be changed; write a correction instead.")) from None
        raise
    note.refresh_from_db()
    case_touch(case=case)
    _audit(Action.NOTE_DRAFT_UPDATED, actor, case, note)
    return note


@transaction.atomic
def note_sign(
    *, actor: User, case: Case, access: CaseAccess, note: JournalNote
) -> JournalNote:
    access.require(CaseAction.WRITE_NOTE)
    require_case_open(case)
    if note.author_id != actor.pk or note.case_id != case.pk:
        raise PermissionDenied
    if not JournalNote.objects.filter(pk=note.pk, signed_at__isnull=True).update(
        signed_at=timezone.now()
    ):
        raise ValidationError(_("The note is already signed."))
    note.refresh_from_db()
    case_touch(case=case)
    _audit(Action.NOTE_SIGNED, actor, case, note)
    return note
