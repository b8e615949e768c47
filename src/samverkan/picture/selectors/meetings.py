"""Reading the weekly EST meeting record of an area and the open actions a person may see.

Everything goes through the area scope (picture.decision.LocalAccess): an area outside it,
an unknown week or an action of such an area is a 404. Each read is a fixed number of
queries whatever the number of actions or meetings (the tests count them):

- the meeting page: the area (1), the meeting with its participants (2), the actions it
  decided (1), the earlier actions to follow up (1), this meeting's follow-ups (1), the
  organisations that are parties locally (1), and the audit row of the read;
- the list of actions: the areas for the filter (1), a count and a page of actions (2),
  and the audit row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from samverkan.access import policy
from samverkan.access.permissions import Permission
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.directory.models import Area, Organisation
from samverkan.picture.decision import LocalAccess, LocalAction
from samverkan.picture.models import ActionFollowUp, ActionStatus, WeekAction, WeekMeeting, week_start_of
from samverkan.picture.selectors.scope import local_access_for
from samverkan.picture.selectors.week import week_code

if TYPE_CHECKING:
    from samverkan.accounts.models import User

MEETING_SUBJECT = "picture_meeting"
ACTION_SUBJECT = "picture_action"
ACTIONS_PER_PAGE = 50

def area_in_scope(*, access: LocalAccess, code: str) -> Area:
    """The area with ``code`` if the person sees its joint picture; 404 otherwise."""
    area = Area.objects.select_related("district").filter(access.areas_q(), code=code).first()
    if area is None:
        raise Http404
    return area


def meeting_parties(area: Area) -> list[Organisation]:
    """The organisations that are parties to the area's weekly meeting: the district
    administration, the local police area and the external organisations registered to
    report in the area (ReportingArea). One query."""
    own = [pk for pk in (area.district.administration_id, area.police_area_id) if pk is not None]
    return list(
        Organisation.objects.filter(Q(pk__in=own) | Q(picture_reporting_areas__area=area)).distinct().order_by("name")
    )


def days_overdue(action: WeekAction, today: date) -> int:
    """How many days an open action is past its due date (0 when it is not)."""
    if action.status != ActionStatus.OPEN or action.due_on >= today:
        return 0
    return (today - action.due_on).days


@dataclass
class FollowUpRow:
    """An action decided at an earlier meeting, with what this meeting recorded about it
    (None: not followed up at this meeting yet)."""

    action: WeekAction
    recorded: ActionFollowUp | None
    days_overdue: int = 0


@dataclass
class ActionRow:
    action: WeekAction
    today: date

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0

    @property
    def days_overdue(self) -> int:
        return days_overdue(self.action, self.today)

    @property
    def week(self) -> str:
        return week_code(self.action.meeting.week_start)


@dataclass
class MeetingPage:
    area: Area
    week_start: date
    week: str
    meeting: WeekMeeting | None
    may_run: bool
    decided: list[ActionRow] = field(default_factory=list)
    follow_ups: list[FollowUpRow] = field(default_factory=list)
    parties: list[Organisation] = field(default_factory=list)

    @property
    def editable(self) -> bool:
        """The record is open and the person runs the meeting."""
        return self.may_run and self.meeting is not None and not self.meeting.closed

    @property
    def week_end(self) -> date:
        return self.week_start + timedelta(days=6)

    @property
    def may_open(self) -> bool:
        return self.may_run and self.meeting is None and self.week_start <= week_start_of(timezone.localdate())


def _follow_up_candidates(area: Area, week_start: date, meeting: WeekMeeting | None) -> list[WeekAction]:
    """Earlier meetings' actions this meeting follows up: those still open, those whose
    status changed between meetings without a meeting having followed them up, and those
    this meeting already followed up."""
    pending = Q(status=ActionStatus.OPEN) | Q(followed_up_at__isnull=True)
    if meeting is not None:
        pending |= Q(followed_up_at=meeting)
    return list(
        WeekAction.objects.filter(pending, meeting__area=area, meeting__week_start__lt=week_start)
        .select_related("organisation", "meeting")
        .order_by("due_on", "pk")
    )


def meeting_page(
    *, actor: User, access: LocalAccess, area: Area, week_start: date, audit_read: bool = True
) -> MeetingPage:
    """The area's record for the week (or its absence), with the actions it decided and
    the follow-up of earlier actions. A closed record shows what it recorded; an open one
    what is still to follow up. The read of a record is audited."""
    today = timezone.localdate()
    meeting = (
        WeekMeeting.objects.filter(area=area, week_start=week_start).prefetch_related("participants").first()
    )
    page = MeetingPage(
        area=area, week_start=week_start, week=week_code(week_start), meeting=meeting,
        may_run=access.may(LocalAction.RUN_MEETING, area),
    )
    if meeting is not None:
        decided = meeting.actions.select_related("organisation").order_by("due_on", "pk")
        page.decided = [ActionRow(action=a, today=today) for a in decided]
        recorded = {
            f.action_id: f
            for f in ActionFollowUp.objects.filter(meeting=meeting).select_related(
                "action__organisation", "action__meeting"
            )
        }
        if meeting.closed:
            rows = sorted(recorded.values(), key=lambda f: (f.action.due_on, f.action_id))
            page.follow_ups = [FollowUpRow(action=f.action, recorded=f) for f in rows]
        else:
            page.follow_ups = [
                FollowUpRow(action=a, recorded=recorded.get(a.pk), days_overdue=days_overdue(a, today))
                for a in _follow_up_candidates(area, week_start, meeting)
            ]
        if audit_read:
            audit.record(
                action=Action.PICTURE_MEETING_VIEWED, actor=actor, subject_type=MEETING_SUBJECT,
                subject_id=meeting.pk, subject_organisation_id=area.district.administration_id,
                detail={"area": area.code, "week": page.week},
            )
    else:
        page.follow_ups = [
            FollowUpRow(action=a, recorded=None, days_overdue=days_overdue(a, today))
            for a in _follow_up_candidates(area, week_start, None)
        ]
    if page.editable:
        page.parties = meeting_parties(area)
    return page


# --- the list of open actions --------------------------------------------------------


class Order:
    DUE = "due"
    DUE_LATEST = "-due"
    CHOICES = (DUE, DUE_LATEST)


@dataclass(frozen=True)
class ActionFilters:
    area_id: int | None = None
    mine: bool = False
    overdue: bool = False
    order: str = Order.DUE


@dataclass
class ActionsOverview:
    rows: list[ActionRow]
    page: Page[WeekAction]
    filters: ActionFilters


def areas_for_actions(*, access: LocalAccess) -> list[Area]:
    """The areas whose actions the person sees (the list's area filter); 404 for someone
    who sees no area."""
    if not access.may(LocalAction.VIEW_PICTURE):
        raise Http404
    return list(Area.objects.filter(access.areas_q()).order_by("name"))


def actions_overview(
    *, actor: User, access: LocalAccess, filters: ActionFilters, page_number: str | int | None = 1
) -> ActionsOverview:
    """The open actions of the areas the person sees, filtered and sorted by due date
    (earliest first, or latest first). 404 for someone who sees no area."""
    if not access.may(LocalAction.VIEW_PICTURE):
        raise Http404
    today = timezone.localdate()
    queryset = WeekAction.objects.filter(access.areas_q("meeting__area__"), status=ActionStatus.OPEN)
    if filters.area_id is not None:
        queryset = queryset.filter(meeting__area_id=filters.area_id)
    if filters.mine:
        queryset = queryset.filter(organisation_id=access.org_id)
    if filters.overdue:
        queryset = queryset.filter(due_on__lt=today)
    ordering = ("-due_on", "-pk") if filters.order == Order.DUE_LATEST else ("due_on", "pk")
    queryset = queryset.select_related("organisation", "meeting__area").order_by(*ordering)
    page = Paginator(queryset, ACTIONS_PER_PAGE).get_page(page_number)
    rows = [ActionRow(action=a, today=today) for a in page.object_list]
    audit.record(
        action=Action.PICTURE_MEETING_ACTIONS_VIEWED, actor=actor, subject_type=ACTION_SUBJECT,
        detail={"shown": len(rows), "overdue": filters.overdue, "mine": filters.mine},
    )
    return ActionsOverview(rows=rows, page=page, filters=filters)


def action_for_actor(*, access: LocalAccess, action_id: int) -> WeekAction:
    """An action of an area the person sees; 404 otherwise."""
    action = (
        WeekAction.objects.select_related("meeting__area", "organisation")
        .filter(access.areas_q("meeting__area__"), pk=action_id)
        .first()
    )
    if action is None:
        raise Http404
    return action


def overdue_action_tasks(*, user: User) -> list[tuple[str, str, int]]:
    """The home page's task for the responsible organisation's meeting runners: their
    organisation's overdue open actions in the areas they see, as (text, url, count).
    The reminders app cannot carry these (its reminders belong to a case), so the home
    page asks here, as it asks rostering for the area track's tasks. One count query
    (and the scope) only for those holding the meeting permission."""
    if not policy.has_permission(user, Permission.PICTURE_MEETING_MANAGE):
        return []
    access = local_access_for(user)
    if not access.may(LocalAction.RUN_MEETING):
        return []
    overdue = WeekAction.objects.filter(
        access.areas_q("meeting__area__"), organisation_id=access.org_id, status=ActionStatus.OPEN,
        due_on__lt=timezone.localdate(),
    ).count()
    if not overdue:
        return []
    text = ngettext(
        "%(n)d action of your organisation from the weekly meetings is overdue.",
        "%(n)d actions of your organisation from the weekly meetings are overdue.",
        overdue,
    ) % {"n": overdue}
    return [(text, reverse("picture:actions") + "?mine=on&overdue=on", overdue)]
