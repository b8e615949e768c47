"""Shift swaps between experts: requested by the expert or their agency, decided by the
agency; an approved swap publishes a new roster version (checked by the validator).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from samverkan.access import policy
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.rostering import problem as pb
from samverkan.rostering import quality
from samverkan.rostering.engine import model as em
from samverkan.rostering.engine import validator
from samverkan.rostering.models import (
    Expert,
    RosterAssignment,
    RosterVersion,
    SwapRequest,
    SwapStatus,
    VersionSource,
    VersionStatus,
)
from samverkan.rostering.services.common import (
    RosterRefused,
    StaleEdit,
    _require_experts_of,
)

if TYPE_CHECKING:
    from samverkan.accounts.models import User


def _swapped(roster: em.Roster, swap: SwapRequest) -> em.Roster:
    a_id, b_id = pb.expert_engine_id(swap.from_expert_id), pb.expert_engine_id(swap.to_expert_id)
    out = []
    for a in roster.assignments:
        if a.shift_id == swap.shift_id and a.expert_id == a_id:
            out.append(em.Assignment(shift_id=a.shift_id, expert_id=b_id, agency=a.agency))
        elif swap.return_shift_id and a.shift_id == swap.return_shift_id and a.expert_id == b_id:
            out.append(em.Assignment(shift_id=a.shift_id, expert_id=a_id, agency=a.agency))
        else:
            out.append(a)
    return em.Roster(out)


def swap_check(*, swap: SwapRequest) -> list[dict[str, str]]:
    """The rule violations the swap would add to the roster in force (engine validator;
    violations the roster already had are not the swap's fault)."""
    plan = swap.version.plan
    problem = pb.build_problem(plan)
    before = pb.roster_of(swap.version)
    after = _swapped(before, swap)
    old = {(v.rule, v.expert_id, v.shift_id) for v in validator.validate(problem, before)}
    return [
        asdict(v)
        for v in validator.validate(problem, after)
        if (v.rule, v.expert_id, v.shift_id) not in old
    ]


@transaction.atomic(durable=True)
def swap_request(
    *,
    actor: User,
    version: RosterVersion,
    shift_id: str,
    from_expert: Expert,
    to_expert: Expert,
    return_shift_id: str = "",
) -> SwapRequest:
    """Ask that ``from_expert``'s shift go to ``to_expert`` (same agency), optionally
    in exchange for one of ``to_expert``'s shifts. The expert themself or their agency
    may ask; the rules are checked now (shown) and again at approval."""
    if not policy.can_request_swap(
        actor=actor, expert_user_id=from_expert.user_id, expert_agency_id=from_expert.agency_id
    ):
        raise PermissionDenied
    if version.status != VersionStatus.PUBLISHED or pb.current_published(version.plan) != version:
        raise RosterRefused(_("Only the roster in force can be changed by a swap."))
    if from_expert.agency_id != to_expert.agency_id or from_expert.pk == to_expert.pk:
        raise ValidationError(
            _("Shifts can only be swapped with another expert of the same agency.")
        )
    assigned = set(
        version.assignments.filter(expert__in=[from_expert, to_expert]).values_list(
            "shift_id", "expert_id"
        )
    )
    if (shift_id, from_expert.pk) not in assigned:
        raise ValidationError(_("The expert does not work that shift."))
    if (shift_id, to_expert.pk) in assigned:
        raise ValidationError(_("The other expert already works that shift."))
    if return_shift_id and (
        (return_shift_id, to_expert.pk) not in assigned
        or (return_shift_id, from_expert.pk) in assigned
    ):
        raise ValidationError(_("The other expert does not work the shift offered in exchange."))
    swap = SwapRequest(
        version=version,
        shift_id=shift_id,
        from_expert=from_expert,
        to_expert=to_expert,
        return_shift_id=return_shift_id,
        requested_by=actor,
    )
    swap.violations = swap_check(swap=swap)
    swap.save()
    audit.record(
        action=Action.ROSTER_SWAP_REQUESTED,
        actor=actor,
        subject_type="swap_request",
        subject_id=swap.pk,
        subject_organisation_id=from_expert.agency_id,
        detail={"version": version.pk, "violations": len(swap.violations)},
    )
    return swap


@transaction.atomic(durable=True)
def swap_decide(
    *, actor: User, swap: SwapRequest, approve: bool, expected_version: int | None
) -> SwapRequest:
    """Approve or reject a requested swap (the agency's staff or the municipal side).

    Approval re-checks the rules with the engine validator and is refused (RosterRefused
    carrying the violations) if the swap would break one; otherwise it publishes a new
    version with the swap applied — the old version stays as it was."""
    _require_experts_of(actor, swap.from_expert.agency_id)
    locked = SwapRequest.objects.select_for_update().get(pk=swap.pk)
    if locked.version_lock != expected_version:
        raise StaleEdit
    if locked.status != SwapStatus.REQUESTED:
        raise RosterRefused(_("This swap has already been decided."))
    now = timezone.now()
    if not approve:
        SwapRequest.objects.filter(pk=swap.pk).update(
            status=SwapStatus.REJECTED,
            decided_by=actor,
            decided_at=now,
            version_lock=locked.version_lock + 1,
        )
        audit.record(
            action=Action.ROSTER_SWAP_REJECTED,
            actor=actor,
            subject_type="swap_request",
            subject_id=swap.pk,
            subject_organisation_id=swap.from_expert.agency_id,
        )
        swap.refresh_from_db()
        return swap
    if pb.current_published(swap.version.plan) != swap.version:
        raise RosterRefused(_("The roster has changed since the swap was asked for; ask again."))
    violations = swap_check(swap=swap)
    if violations:
        SwapRequest.objects.filter(pk=swap.pk).update(violations=violations)
        swap.refresh_from_db()
        raise RosterRefused(_("The swap would break working-time rules."), violations)
    old = swap.version
    number = (old.plan.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    new = RosterVersion.objects.create(
        plan=old.plan,
        number=number,
        status=VersionStatus.PUBLISHED,
        source=VersionSource.SWAP,
        solver_status=old.solver_status,
        objective=old.objective,
        bound=old.bound,
        created_by=actor,
        published_by=actor,
        published_at=now,
        stats={"swap": swap.pk},
    )
    rows = []
    for a in old.assignments.all():
        expert_id = a.expert_id
        if a.shift_id == swap.shift_id and a.expert_id == swap.from_expert_id:
            expert_id = swap.to_expert_id
        elif (
            swap.return_shift_id
            and a.shift_id == swap.return_shift_id
            and a.expert_id == swap.to_expert_id
        ):
            expert_id = swap.from_expert_id
        rows.append(
            RosterAssignment(
                version=new,
                shift_id=a.shift_id,
                shift_code=a.shift_code,
                starts_at=a.starts_at,
                ends_at=a.ends_at,
                expert_id=expert_id,
                agency_id=a.agency_id,
            )
        )
    RosterAssignment.objects.bulk_create(rows, batch_size=2000)
    # The swap moves shifts between two experts: the fairness in words is the new roster's.
    new.stats = {**new.stats, **quality.fairness_stats(pb.build_problem(old.plan), pb.roster_of(new))}
    new.save(update_fields=["stats"])
    SwapRequest.objects.filter(pk=swap.pk).update(
        status=SwapStatus.APPROVED,
        decided_by=actor,
        decided_at=now,
        result_version=new,
        violations=[],
        version_lock=locked.version_lock + 1,
    )
    audit.record(
        action=Action.ROSTER_SWAP_APPROVED,
        actor=actor,
        subject_type="swap_request",
        subject_id=swap.pk,
        subject_organisation_id=swap.from_expert.agency_id,
        detail={"new_version": new.pk},
    )
    swap.refresh_from_db()
    return swap


