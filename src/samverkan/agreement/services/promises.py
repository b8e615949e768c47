"""Writing citizen promises and their progress. Every function asks the person's
``LocalAccess`` for ``MANAGE_PROMISES`` in the promise's area, writes under optimistic
locking and audits in the same transaction. The residents' pages read published
promises; their cache is cleared by samverkan.public.signals when these rows change
(post_save, and lib.concurrency.versioned_update for the versioned writes)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from samverkan.agreement.models import Agreement, CitizenPromise, PromiseProgress, PromiseState
from samverkan.agreement.selectors.promises import agreement_covers_area
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.directory.models import Area
from samverkan.lib.concurrency import save_versioned, update_versioned
from samverkan.lib.identity_numbers import find_in_text
from samverkan.picture.decision import LocalAccess, LocalAction

if TYPE_CHECKING:
    from samverkan.accounts.models import User

SUBJECT = "citizen_promise"
MAX_PUBLIC_TEXT = 500

# Anything shaped like a personnummer or samordningsnummer (6 or 8 digits, an optional
# separator, 4 digits), whether or not its check digit is right: text for residents
# never names a person, so a near miss is refused as firmly as a valid number.

IDENTITY_REFUSED = _(
    "Remove the identity number. Text for residents is about the promise, never about a person."
)


def contains_identity_number(text: str) -> bool:
    return bool(find_in_text(text))


def _check_text(**fields: str) -> None:
    errors = {name: IDENTITY_REFUSED for name, value in fields.items() if contains_identity_number(value)}
    if errors:
        raise ValidationError(errors)


def _check_agreement(
    access: LocalAccess, agreement: Agreement | None, area: Area, *, unchanged: bool = False
) -> None:
    """The agreement must cover the area, and a newly chosen one be one the person sees
    (an agreement left as it was may stay even for an editor who does not see it)."""
    if agreement is None:
        return
    sees = unchanged or access.may(LocalAction.VIEW_AGREEMENT, agreement)
    if not sees or not agreement_covers_area(agreement, area):
        raise ValidationError(
            {"agreement": _("Choose an agreement that covers the promise's area.")}
        )


def _record(action: Action, actor: User, promise: CitizenPromise, **detail: object) -> None:
    audit.record(
        action=action,
        actor=actor,
        subject_type=SUBJECT,
        subject_id=promise.pk,
        detail={"area": promise.area.code, "agreement": promise.agreement_id, **detail},
    )


@transaction.atomic
def promise_create(
    *,
    actor: User,
    access: LocalAccess,
    area: Area,
    agreement: Agreement | None,
    title: str,
    text: str,
    period: str,
) -> CitizenPromise:
    """A new promise, unpublished: publishing is its own, confirmed step."""
    access.require(LocalAction.MANAGE_PROMISES, area)
    _check_agreement(access, agreement, area)
    _check_text(title=title, text=text)
    promise = CitizenPromise.objects.create(
        area=area, agreement=agreement, title=title, text=text, period=period, published=False
    )
    _record(Action.AGREEMENT_PROMISE_CREATED, actor, promise)
    return promise


@transaction.atomic
def promise_update(
    *,
    actor: User,
    access: LocalAccess,
    promise: CitizenPromise,
    expected_version: int | None,
    area: Area,
    agreement: Agreement | None,
    title: str,
    text: str,
    period: str,
) -> CitizenPromise:
    """Change what the promise says (StaleEdit when someone saved it meanwhile). Moving it
    to another area needs the right to manage both."""
    access.require(LocalAction.MANAGE_PROMISES, promise.area)
    access.require(LocalAction.MANAGE_PROMISES, area)
    unchanged = agreement is not None and agreement.pk == promise.agreement_id
    _check_agreement(access, agreement, area, unchanged=unchanged)
    _check_text(title=title, text=text)
    promise.area, promise.agreement = area, agreement
    promise.title, promise.text, promise.period = title, text, period
    save_versioned(
        instance=promise,
        expected_version=expected_version,
        fields=["area_id", "agreement_id", "title", "text", "period"],
    )
    _record(Action.AGREEMENT_PROMISE_UPDATED, actor, promise, published=promise.published)
    return promise


@transaction.atomic
def promise_set_published(
    *,
    actor: User,
    access: LocalAccess,
    promise: CitizenPromise,
    published: bool,
    expected_version: int | None,
) -> CitizenPromise:
    """Show the promise (and its progress) on the residents' pages, or take it off."""
    access.require(LocalAction.MANAGE_PROMISES, promise.area)
    promise.published = published
    save_versioned(instance=promise, expected_version=expected_version, fields=["published"])
    action = Action.AGREEMENT_PROMISE_PUBLISHED if published else Action.AGREEMENT_PROMISE_UNPUBLISHED
    _record(action, actor, promise)
    return promise


@transaction.atomic
def progress_add(
    *,
    actor: User,
    access: LocalAccess,
    promise: CitizenPromise,
    expected_version: int | None,
    recorded_on: date,
    state: str,
    public_text: str,
    internal_note: str = "",
) -> PromiseProgress:
    """Add a dated progress entry. Entries are never edited: a correction is a newer
    entry, so the history stays what residents were shown. The promise's version moves
    on, so two people writing progress at once do not pass each other unseen."""
    access.require(LocalAction.MANAGE_PROMISES, promise.area)
    if state not in PromiseState.values:
        raise ValidationError({"state": _("Choose how it is going.")})
    if len(public_text) > MAX_PUBLIC_TEXT:
        raise ValidationError({"public_text": _("Write at most 500 characters.")})
    _check_text(public_text=public_text, internal_note=internal_note)
    update_versioned(CitizenPromise, pk=promise.pk, version=expected_version)
    entry = PromiseProgress.objects.create(
        promise=promise,
        recorded_on=recorded_on,
        state=state,
        public_text=public_text,
        internal_note=internal_note,
        recorded_by=actor,
    )
    promise.refresh_from_db(fields=["version", "updated_at"])
    _record(Action.AGREEMENT_PROMISE_PROGRESS_ADDED, actor, promise, progress=entry.pk, state=state)
    return entry
