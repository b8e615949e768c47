"""Disclosures: the case's disclosure register, the recipients a disclosure may go to,
and the organisation-wide register with its export. Every read is audited."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

from samverkan.access import policy
from samverkan.access.permissions import Permission
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.cases.actions import CaseGate
from samverkan.consent.models import Disclosure, DisclosureOutcome
from samverkan.directory.models import Organisation

if TYPE_CHECKING:
    from samverkan.accounts.models import User


def disclosures_for_case(*, case: Any) -> QuerySet[Disclosure]:
    return Disclosure.objects.filter(case_id=case.pk).select_related(
        "basis", "from_organisation", "to_organisation", "decided_by"
    )


def disclosures_visible(*, actor: User, case: Any, access: CaseGate) -> list[Disclosure]:
    """The case's disclosure register as this viewer may see it: all of it for the lead
    organisation's team, otherwise the disclosures from or to the viewer's organisation.
    Audited as DISCLOSURE_REGISTER_VIEWED with the number shown."""
    qs = disclosures_for_case(case=case)
    if not access.is_lead_team:
        qs = qs.filter(
            Q(from_organisation_id=access.viewer_org_id)
            | Q(to_organisation_id=access.viewer_org_id)
        )
    rows = list(qs.order_by("-decided_at", "-pk"))
    audit.record(
        action=Action.DISCLOSURE_REGISTER_VIEWED,
        actor=actor,
        subject_type="case",
        subject_id=case.public_id,
        subject_organisation_id=case.lead_organisation_id,
        detail={"shown": len(rows)},
    )
    return rows


def disclosure_recipients(*, actor: User) -> QuerySet[Organisation]:
    """Organisations a disclosure may go to: any active one but the actor's own (the
    chosen basis then decides, in consent.services.disclosure_record)."""
    return (
        Organisation.objects.filter(active=True).exclude(pk=actor.organisation_id).order_by("name")
    )


class Direction(StrEnum):
    ALL = ""
    FROM = "from"
    TO = "to"


def _register_qs(*, actor: User, direction: str) -> QuerySet[Disclosure]:
    if (
        not policy.has_permission(actor, Permission.DISCLOSURE_REGISTER_VIEW)
        or actor.organisation_id is None
    ):
        return Disclosure.objects.none()
    org = actor.organisation_id
    # A refusal (Trefas: the jurist said no) disclosed nothing: it is in the register of
    # the organisation that decided it only, never in the would-be receiver's.
    received = Q(to_organisation_id=org, outcome=DisclosureOutcome.DISCLOSED)
    if direction == Direction.FROM:
        q = Q(from_organisation_id=org)
    elif direction == Direction.TO:
        q = received
    else:
        q = Q(from_organisation_id=org) | received
    return (
        Disclosure.objects.filter(q)
        .select_related("basis", "from_organisation", "to_organisation", "decided_by", "case")
        .order_by("-decided_at", "-pk")
    )


def disclosure_register(
    *, actor: User, direction: str = "", page: int = 1, per_page: int = 50
) -> tuple[Page[Any], list[Disclosure]]:
    """The organisation-wide disclosure register: every disclosure from or to the
    actor's organisation, on both tracks (users with DISCLOSURE_REGISTER_VIEW; others see
    none). Refusals only in the deciding (from) organisation's register.
    Audited with the number of rows shown."""
    paginator = Paginator(_register_qs(actor=actor, direction=direction), per_page)
    page_obj = paginator.get_page(page)
    rows = list(page_obj.object_list)
    audit.record(
        action=Action.DISCLOSURE_REGISTER_VIEWED,
        actor=actor,
        subject_type="disclosure_register",
        subject_organisation_id=actor.organisation_id,
        detail={"shown": len(rows), "direction": direction or "all"},
    )
    return page_obj, rows


def disclosure_register_export(*, actor: User, direction: str = "") -> list[Disclosure]:
    """All rows of the register for a CSV export; audited with the count and format."""
    rows = list(_register_qs(actor=actor, direction=direction))
    audit.record(
        action=Action.DISCLOSURE_REGISTER_VIEWED,
        actor=actor,
        subject_type="disclosure_register",
        subject_organisation_id=actor.organisation_id,
        detail={"shown": len(rows), "direction": direction or "all", "format": "csv"},
    )
    return rows
