"""Reading the coordinating function: one coordinator or step (404 outside the scope),
who may be named coordinator of a scope, and the cycle steps that remind coordinators
(read by the reminders app, which sits above prevention)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.http import Http404

from samverkan.accounts.models import User
from samverkan.directory.models import Organisation
from samverkan.picture.decision import MUNICIPAL_KINDS, LocalAccess, LocalAction
from samverkan.picture.selectors.scope import local_access_for
from samverkan.prevention.models import Coordinator, CycleStep
from samverkan.prevention.selectors.scopes import ScopeRef

CANDIDATES_SHOWN = 50


def coordinator_for_actor(*, access: LocalAccess, pk: int) -> Coordinator:
    """A coordinator row of a scope the person sees; 404 otherwise."""
    row = (
        Coordinator.objects.filter(access.documents_q())
        .select_related("user", "user__organisation", "district")
        .filter(pk=pk)
        .first()
    )
    if row is None or not access.may(LocalAction.VIEW_DOCUMENTS, row):
        raise Http404
    return row


def step_for_actor(*, access: LocalAccess, pk: int) -> CycleStep:
    """A step of the yearly cycle of a scope the person sees; 404 otherwise."""
    row = CycleStep.objects.filter(access.documents_q()).select_related("district").filter(pk=pk).first()
    if row is None or not access.may(LocalAction.VIEW_DOCUMENTS, row):
        raise Http404
    return row


def scope_organisations_q(scope: ScopeRef) -> Q:
    """Q over Organisation: whose staff may coordinate the scope. A district: its
    administration. A municipality: the municipality's own bodies (city-wide offices and
    the district administrations). Never external organisations, agencies or the police."""
    if scope.district is not None:
        return Q(pk=scope.district.administration_id) if scope.district.administration_id else Q(pk__in=[])
    return Q(municipality=scope.municipality, kind__in=sorted(MUNICIPAL_KINDS))


def coordinator_candidates(*, scope: ScopeRef, search: str = "") -> QuerySet[User]:
    """Active staff of the scope's organisations (``scope_organisations_q``), narrowed by
    ``search`` (name or username), at most CANDIDATES_SHOWN. The service checks again
    with ``is_candidate``; a person who cannot see prevention documents (e.g. an
    incident reporter) is refused there."""
    qs = User.objects.filter(
        is_active=True, organisation__in=Organisation.objects.filter(scope_organisations_q(scope))
    )
    for word in search.split()[:3]:
        qs = qs.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(username__icontains=word))
    # Unsliced (a form field filters it again to find the chosen one), at most CANDIDATES_SHOWN.
    ids = list(qs.order_by("last_name", "first_name", "pk").values_list("pk", flat=True)[:CANDIDATES_SHOWN])
    return User.objects.filter(pk__in=ids).select_related("organisation").order_by("last_name", "first_name", "pk")


def is_candidate(*, scope: ScopeRef, user: User) -> bool:
    """May ``user`` be named coordinator of ``scope``: active staff of the scope's
    organisations who can see the scope's prevention documents."""
    if not user.is_active or user.organisation_id is None:
        return False
    if not Organisation.objects.filter(scope_organisations_q(scope), pk=user.organisation_id).exists():
        return False
    return local_access_for(user).may(LocalAction.VIEW_DOCUMENTS, scope)


# --- For the reminders app (system-level reads; every reminder is filtered again when shown)


@dataclass(frozen=True)
class StepReminder:
    step: CycleStep
    user_id: int
    organisation_id: int


def steps_reminding(*, today: date, within_days: int) -> list[StepReminder]:
    """Steps not done that are due within ``within_days`` (overdue included), each for
    every active coordinator of its scope who still sees the scope's documents."""
    steps = list(CycleStep.objects.filter(done_on__isnull=True, due_on__lte=today + timedelta(days=within_days)))
    if not steps:
        return []
    scopes = {(s.municipality, s.district_id) for s in steps}
    scope_q = Q(pk__in=[])
    for municipality, district_id in scopes:
        scope_q |= Q(municipality=municipality, district_id=district_id)
    coordinators = list(
        Coordinator.objects.filter(scope_q, active=True, user__is_active=True)
        .select_related("user", "user__organisation")
        .prefetch_related("user__roles")
    )
    result = []
    for step in steps:
        for c in coordinators:
            if (c.municipality, c.district_id) != (step.municipality, step.district_id):
                continue
            if local_access_for(c.user).may(LocalAction.VIEW_DOCUMENTS, step):
                result.append(StepReminder(step, c.user_id, c.user.organisation_id))
    return result


def steps_still_reminding(*, actor: User, step_ids: Iterable[int]) -> set[int]:
    """Of ``step_ids``, the steps that still concern ``actor``: not done, and the actor
    is an active coordinator of the step's scope and still sees its documents. Two
    queries whatever the number of steps."""
    ids = sorted(set(step_ids))
    if not ids:
        return set()
    access = local_access_for(actor)
    steps = list(CycleStep.objects.filter(pk__in=ids, done_on__isnull=True))
    mine = set(
        Coordinator.objects.filter(user_id=actor.pk, active=True).values_list("municipality", "district_id")
    )
    return {
        s.pk for s in steps
        if (s.municipality, s.district_id) in mine and access.may(LocalAction.VIEW_DOCUMENTS, s)
    }


__all__ = [
    "CANDIDATES_SHOWN",
    "StepReminder",
    "coordinator_candidates",
    "coordinator_for_actor",
    "is_candidate",
    "scope_organisations_q",
    "step_for_actor",
    "steps_reminding",
    "steps_still_reminding",
]
