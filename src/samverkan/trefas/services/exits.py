"""The way out from the list: start a SIG intake (the individual track, which rests on
consent) or record a referral to an exit programme. Both leave an ExitLink on the
listing; audited as TREFAS_EXIT_STARTED (ids only)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.access import policy
from samverkan.access.permissions import Permission
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.cases import selectors as case_selectors
from samverkan.cases.models import IntakeSource, Programme
from samverkan.cases.services import case_intake
from samverkan.lib.identity_numbers import parse as parse_identity
from samverkan.trefas.decision import TrefasAccess, TrefasAction
from samverkan.trefas.models import ExitKind, ExitLink, Listing, Rating

if TYPE_CHECKING:
    from samverkan.accounts.models import User


def may_start_intake(*, actor: User) -> bool:
    """Whether the actor's organisation may register SIG intakes at all: a programme's
    lead kind (district social services) administering a district it serves."""
    return (policy.has_permission(actor, Permission.CASE_INTAKE)
            and case_selectors.programmes_for_intake(actor=actor).exists())


def _check(access: TrefasAccess, listing: Listing) -> None:
    access.require(TrefasAction.START_EXIT)
    if listing.forum_id != access.forum_id or listing.removed_at is not None:
        raise PermissionDenied


def _audit(actor: User, listing: Listing, link: ExitLink, extra: dict[str, object]) -> None:
    audit.record(
        action=Action.TREFAS_EXIT_STARTED, actor=actor, subject_type="trefas_listing", subject_id=listing.pk,
        subject_organisation_id=listing.nominated_by_organisation_id,
        detail={"forum": listing.forum_id, "exit": link.pk, "kind": link.kind, **extra,
                **({"red": True} if listing.rating == Rating.RED else {})},
    )


@transaction.atomic(durable=True)
def exit_start_sig(*, actor: User, access: TrefasAccess, listing: Listing, programme: Programme,
                   intake_summary: str = "") -> ExitLink:
    """Start a SIG intake for the listed person through the individual track's intake
    service (cases.services.case_intake): the case is the actor's organisation's, on its
    own record of the person — the listed record itself when the actor's organisation
    nominated them, else its own record of the same identity number (found or created by
    people.services, never another organisation's row). Only a programme's lead kind may
    register intakes (district social services); the case then needs the person's
    consent before anything is shared. Eligibility and duplicate checks are the intake's."""
    _check(access, listing)
    if not may_start_intake(actor=actor):
        raise PermissionDenied
    if not case_selectors.programmes_for_intake(actor=actor).filter(pk=programme.pk).exists():
        raise ValidationError({"programme": _("Your organisation cannot register intakes in this programme.")})
    person = listing.person
    today = timezone.localdate()
    case = case_intake(
        actor=actor, programme=programme, identity=parse_identity(person.identity_number, today=today),
        first_name=person.first_name, last_name=person.last_name, intake_source=IntakeSource.OTHER,
        received_on=today, intake_summary=intake_summary.strip(), protected_identity=person.protected_identity,
        is_fictitious=person.is_fictitious,
    )
    assert actor.organisation_id is not None
    link = ExitLink.objects.create(
        listing=listing, kind=ExitKind.SIG_INTAKE, case=case, created_by=actor,
        created_by_organisation_id=actor.organisation_id,
    )
    _audit(actor, listing, link, {"case": str(case.public_id), "programme": programme.code})
    return link


@transaction.atomic(durable=True)
def exit_refer(*, actor: User, access: TrefasAccess, listing: Listing, programme_name: str,
               note: str = "") -> ExitLink:
    """Record a referral of the listed person to an exit programme (its name and a short
    note without details of the person)."""
    _check(access, listing)
    if not programme_name.strip():
        raise ValidationError({"programme_name": _("Name the exit programme.")})
    assert actor.organisation_id is not None
    link = ExitLink.objects.create(
        listing=listing, kind=ExitKind.EXIT_PROGRAMME, programme_name=programme_name.strip(), note=note.strip(),
        created_by=actor, created_by_organisation_id=actor.organisation_id,
    )
    _audit(actor, listing, link, {})
    return link
