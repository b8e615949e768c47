"""Follow-up meetings of an agreement and the printable follow-up report: per
prioritised problem and per party, each commitment's status over the follow-up meetings;
the citizen promises with their latest progress; the presence promised against what was
reported; and the forums' decisions. A fixed number of queries whatever the size."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.http import Http404

from samverkan.agreement.models import (
    Agreement,
    CollaborationForum,
    Commitment,
    CommitmentReview,
    CommitmentStatus,
    FollowUpMeeting,
)
from samverkan.agreement.selectors.agreements import PromiseLine, promises_with_progress
from samverkan.agreement.selectors.forums import forums_with_decisions
from samverkan.agreement.selectors.presence import PresenceRow, presence_table
from samverkan.directory.models import Organisation
from samverkan.prevention.models import Problem


def meeting_for(*, agreement: Agreement, meeting_id: int) -> FollowUpMeeting:
    meeting = FollowUpMeeting.objects.filter(agreement=agreement, pk=meeting_id).prefetch_related(
        "participants").first()
    if meeting is None:
        raise Http404
    return meeting


def meeting_reviews(*, meeting: FollowUpMeeting) -> dict[int, CommitmentReview]:
    return {r.commitment_id: r for r in CommitmentReview.objects.filter(meeting=meeting)}


def commitments_of(*, agreement: Agreement) -> list[Commitment]:
    return list(agreement.commitments.select_related("organisation", "problem"))


@dataclass
class CommitmentHistory:
    commitment: Commitment
    statuses: list[str]  # one label per follow-up meeting ("–" when not recorded)


@dataclass
class PartySection:
    organisation: Organisation
    commitments: list[CommitmentHistory] = field(default_factory=list)


@dataclass
class ProblemSection:
    problem: Problem | None  # None: commitments tied to no prioritised problem
    parties: list[PartySection] = field(default_factory=list)


@dataclass
class FollowUpReport:
    agreement: Agreement
    meetings: list[FollowUpMeeting]
    sections: list[ProblemSection]
    promises: list[PromiseLine]
    weeks: list[date]
    presence: list[PresenceRow]
    forums: list[CollaborationForum]
    counts: dict[str, int]


def follow_up_report(*, agreement: Agreement) -> FollowUpReport:
    meetings = list(agreement.follow_ups.order_by("held_on", "pk"))
    reviews = {(r.meeting_id, r.commitment_id): r
               for r in CommitmentReview.objects.filter(meeting__agreement=agreement)}
    labels = dict(CommitmentStatus.choices)
    problems = list(agreement.problems.order_by("priority", "pk"))
    by_problem: dict[int | None, ProblemSection] = {p.pk: ProblemSection(problem=p) for p in problems}
    counts = {str(label): 0 for label in labels.values()}
    for c in commitments_of(agreement=agreement):
        section = by_problem.get(c.problem_id) or by_problem.setdefault(None, ProblemSection(problem=None))
        party = next((p for p in section.parties if p.organisation.pk == c.organisation_id), None)
        if party is None:
            party = PartySection(organisation=c.organisation)
            section.parties.append(party)
        statuses = [str(labels[reviews[(m.pk, c.pk)].status]) if (m.pk, c.pk) in reviews else "–" for m in meetings]
        party.commitments.append(CommitmentHistory(commitment=c, statuses=statuses))
        counts[str(labels[c.status])] += 1
    for section in by_problem.values():
        section.parties.sort(key=lambda p: p.organisation.name)
    weeks, presence = presence_table(agreement=agreement)
    return FollowUpReport(
        agreement=agreement, meetings=meetings, sections=list(by_problem.values()),
        promises=promises_with_progress(agreement=agreement), weeks=weeks, presence=presence,
        forums=forums_with_decisions(agreement=agreement), counts={k: v for k, v in counts.items() if v},
    )
