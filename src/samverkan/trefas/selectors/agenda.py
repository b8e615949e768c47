"""A meeting's agenda, generated from the list, and each agenda person's joint picture.

Sections, in order (a person appears once, in the first that applies, with every reason
shown):
  (a) red-rated people;
  (b) ratings changed (or people newly listed) since the previous held meeting;
  (c) releases and leaves within the next cycle (trefas.Release, not cancelled);
  (d) people with overdue actions (open, due before now or the meeting);
  (e) people not reviewed: the rating not set or confirmed for one cycle, or a review
      requested (by an incident, the two-cycle rule or by hand).
Overdue actions about no one on the list follow as their own part.

The joint picture of an agenda person is the shares this viewer may read
(``TrefasAccess.shares_q``: approved or no-review shares to the viewer's organisation, and
all of the viewer's own organisation's) proposed or decided between the previous held
meeting and this one (a planned meeting: until now), grouped by the sharing organisation;
rating changes count over the same window, so an old meeting's agenda shows what it
had then, not everything since. Nothing else of another organisation's is
read, so a proposed, refused or withdrawn share never reaches another organisation's
agenda or its PDF.

The number of queries is fixed whatever the number of people and shares (one for the
people with their reasons, one each for their rating changes, releases and overdue
actions, one for the shares, one for the actions about no one, one for the previous
meeting). Every read is audited (TREFAS_MEETING_VIEWED, ``red`` when a red-rated person is
on it); the PDF is audited as an export (TREFAS_EXPORTED).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, F, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.audit.services import MAX_DETAIL_LIST
from samverkan.trefas.decision import TrefasAccess
from samverkan.trefas.models import (
    RATING_ORDER,
    VISIBLE_STATES,
    ActionItem,
    ActionStatus,
    Forum,
    ForumMeeting,
    Listing,
    Rating,
    RatingChange,
    Release,
    Share,
)
from samverkan.trefas.selectors.meetings import listing_label, previous_held

if TYPE_CHECKING:
    from samverkan.accounts.models import User

SUBJECT = "trefas_meeting"


class Reason(StrEnum):
    RED = "red"
    CHANGED = "changed"
    RELEASE = "release"
    OVERDUE = "overdue"
    NOT_REVIEWED = "not_reviewed"


SECTION_TITLES: dict[Reason, Promise] = {
    Reason.RED: _("Red: acute risk of killing or being killed"),
    Reason.CHANGED: _("Ratings changed since the last meeting"),
    Reason.RELEASE: _("Releases and leaves in the coming cycle"),
    Reason.OVERDUE: _("Actions not done in time"),
    Reason.NOT_REVIEWED: _("Ratings to review"),
}
REASON_LABELS: dict[Reason, Promise] = {
    Reason.RED: _("red"),
    Reason.CHANGED: _("rating changed"),
    Reason.RELEASE: _("release or leave soon"),
    Reason.OVERDUE: _("action overdue"),
    Reason.NOT_REVIEWED: _("review due"),
}


@dataclass(frozen=True)
class PictureShare:
    share_id: int
    topic: str
    text: str
    basis: str
    proposed_at: datetime
    state: str
    state_label: str
    own: bool  # the viewer's organisation's own share (shown with its state)
    shared: bool  # visible to the receiving organisations (approved or no review)


@dataclass
class OrganisationPicture:
    organisation_id: int
    organisation_name: str
    shares: list[PictureShare] = field(default_factory=list)


@dataclass
class AgendaPerson:
    listing_id: int
    name: str
    rating: str
    rating_label: str
    reasons: list[Reason]
    changes: list[RatingChange]
    releases: list[Release]
    overdue_actions: list[ActionItem]
    picture: list[OrganisationPicture] = field(default_factory=list)

    @property
    def reason_labels(self) -> list[Promise]:
        return [REASON_LABELS[r] for r in self.reasons]


@dataclass(frozen=True)
class AgendaSection:
    reason: Reason
    title: Promise
    people: list[AgendaPerson]


@dataclass(frozen=True)
class Agenda:
    since: datetime
    previous: ForumMeeting | None
    sections: list[AgendaSection]
    other_overdue: list[ActionItem]  # overdue actions about no one on the agenda
    listing_ids: list[int]
    share_ids: list[int]

    @property
    def people(self) -> list[AgendaPerson]:
        return [p for s in self.sections for p in s.people]

    @property
    def red(self) -> bool:
        return any(Reason.RED in p.reasons for p in self.people)

    @property
    def empty(self) -> bool:
        return not self.sections and not self.other_overdue


@dataclass(frozen=True)
class _Window:
    since: datetime  # the joint picture and rating changes start here
    until: datetime  # ... and end here: the meeting's time (a planned one: now)
    overdue_before: datetime
    reviewed_before: datetime
    releases_from: date
    releases_to: date


def _window(forum: Forum, meeting: ForumMeeting, previous: ForumMeeting | None) -> _Window:
    cycle = timedelta(days=forum.cadence_days)
    at = meeting.scheduled_for
    ref = min(timezone.now(), at)  # a past meeting as it stood then; a planned one as of now
    return _Window(
        since=previous.scheduled_for if previous is not None else at - cycle,
        until=ref,
        overdue_before=ref,
        reviewed_before=ref - cycle,
        releases_from=timezone.localdate(ref),
        releases_to=timezone.localdate(at) + cycle,
    )


def _picture(access: TrefasAccess, shares: Iterable[Share]) -> dict[int, list[OrganisationPicture]]:
    """listing id -> the shares grouped by sharing organisation (in the query's order)."""
    by_listing: dict[int, dict[int, OrganisationPicture]] = {}
    for share in shares:
        assert share.listing_id is not None
        orgs = by_listing.setdefault(share.listing_id, {})
        org = orgs.setdefault(share.from_organisation_id,
                              OrganisationPicture(share.from_organisation_id, share.from_organisation.name))
        org.shares.append(PictureShare(
            share_id=share.pk, topic=str(share.get_topic_display()), text=share.text,
            basis=f"{share.basis.reference}", proposed_at=share.proposed_at, state=share.state,
            state_label=str(share.get_state_display()),
            own=share.from_organisation_id == access.viewer_org_id,
            shared=share.state in VISIBLE_STATES,
        ))
    return {pk: list(orgs.values()) for pk, orgs in by_listing.items()}


def build_agenda(*, forum: Forum, access: TrefasAccess, meeting: ForumMeeting) -> Agenda:
    """The agenda of ``meeting`` for this viewer (not audited; ``agenda_for`` and
    ``agenda_pdf`` are the audited reads)."""
    previous = previous_held(meeting)
    w = _window(forum, meeting, previous)
    changes = RatingChange.objects.filter(set_at__gt=w.since, set_at__lte=w.until).exclude(
        rating=F("previous_rating"))
    releases = Release.objects.filter(cancelled_at__isnull=True, date__gte=w.releases_from,
                                      date__lte=w.releases_to)
    overdue = ActionItem.objects.filter(forum=forum, status=ActionStatus.OPEN, due_at__lt=w.overdue_before)
    rows = (
        Listing.objects.filter(forum=forum, removed_at__isnull=True)
        .annotate(
            a_changed=Exists(changes.filter(listing=OuterRef("pk"))),
            a_release=Exists(releases.filter(listing=OuterRef("pk"))),
            a_overdue=Exists(overdue.filter(listing=OuterRef("pk"))),
        )
        .filter(Q(rating=Rating.RED) | Q(a_changed=True) | Q(a_release=True) | Q(a_overdue=True)
                | Q(rating_reviewed_at__lt=w.reviewed_before) | Q(review_requested_at__isnull=False))
        .select_related("person")
        .only("pk", "forum_id", "rating", "nominated_by_organisation_id", "rating_reviewed_at",
              "review_requested_at", "person__first_name", "person__last_name", "person__protected_identity")
        .prefetch_related(
            Prefetch("rating_changes", queryset=changes.order_by("set_at", "pk"), to_attr="agenda_changes"),
            Prefetch("releases", queryset=releases.order_by("date", "pk"), to_attr="agenda_releases"),
            Prefetch("actions", queryset=overdue.select_related("organisation", "responsible")
                     .order_by("due_at", "pk"), to_attr="agenda_actions"),
        )
    )
    people: list[AgendaPerson] = []
    for row in rows:
        reasons = [reason for reason, on in (
            (Reason.RED, row.rating == Rating.RED),
            (Reason.CHANGED, row.a_changed),
            (Reason.RELEASE, row.a_release),
            (Reason.OVERDUE, row.a_overdue),
            (Reason.NOT_REVIEWED, row.rating_reviewed_at < w.reviewed_before or row.review_requested_at is not None),
        ) if on]
        people.append(AgendaPerson(
            listing_id=row.pk, name=listing_label(access, row), rating=row.rating,
            rating_label=str(row.get_rating_display()), reasons=reasons,
            changes=row.agenda_changes,
            releases=row.agenda_releases,
            overdue_actions=row.agenda_actions,
        ))
    ids = [p.listing_id for p in people]
    shares = (
        Share.objects.filter(pk__in=Share.objects.filter(access.shares_q(), forum=forum).values("pk"))
        .filter(listing_id__in=ids)
        .filter(Q(proposed_at__gte=w.since, proposed_at__lte=w.until)
                | Q(decided_at__gte=w.since, decided_at__lte=w.until))
        .select_related("from_organisation", "basis")
        .only("pk", "listing_id", "from_organisation_id", "from_organisation__name", "basis__reference",
              "topic", "text", "proposed_at", "state")
        .order_by("from_organisation__name", "from_organisation_id", "proposed_at", "pk")
    ) if ids else Share.objects.none()
    share_list = list(shares)
    pictures = _picture(access, share_list)
    for person in people:
        person.picture = pictures.get(person.listing_id, [])
    people.sort(key=lambda p: (RATING_ORDER.get(Rating(p.rating), 9), p.name.casefold(), p.listing_id))
    sections = []
    for reason in Reason:
        members = [p for p in people if p.reasons and p.reasons[0] == reason]
        if members:
            sections.append(AgendaSection(reason, SECTION_TITLES[reason], members))
    other = list(
        overdue.exclude(listing_id__in=ids).select_related("organisation", "responsible").order_by("due_at", "pk")
    )
    return Agenda(since=w.since, previous=previous, sections=sections, other_overdue=other,
                  listing_ids=[p.listing_id for s in sections for p in s.people],
                  share_ids=[s.pk for s in share_list])


def _audit(action: Action, *, actor: User, meeting: ForumMeeting, agenda: Agenda, **extra: Any) -> None:
    detail: dict[str, Any] = {"forum": meeting.forum_id, "people": len(agenda.listing_ids),
                              "shares": len(agenda.share_ids), **extra}
    if len(agenda.listing_ids) <= MAX_DETAIL_LIST:
        detail["listings"] = agenda.listing_ids
    if len(agenda.share_ids) <= MAX_DETAIL_LIST:
        detail["share_ids"] = agenda.share_ids
    if agenda.red:
        detail["red"] = True
    audit.record(action=action, actor=actor, subject_type=SUBJECT, subject_id=meeting.pk, detail=detail)


def agenda_for(*, actor: User, forum: Forum, access: TrefasAccess, meeting: ForumMeeting) -> Agenda:
    """The meeting page's agenda for this viewer; audited (TREFAS_MEETING_VIEWED with
    the listings and shares shown, ``red`` when a red-rated person is on it)."""
    agenda = build_agenda(forum=forum, access=access, meeting=meeting)
    _audit(Action.TREFAS_MEETING_VIEWED, actor=actor, meeting=meeting, agenda=agenda)
    return agenda


def agenda_for_export(*, actor: User, forum: Forum, access: TrefasAccess, meeting: ForumMeeting) -> Agenda:
    """The agenda for the PDF; audited as an export (TREFAS_EXPORTED, kind agenda_pdf)."""
    agenda = build_agenda(forum=forum, access=access, meeting=meeting)
    _audit(Action.TREFAS_EXPORTED, actor=actor, meeting=meeting, agenda=agenda, kind="agenda_pdf")
    return agenda
