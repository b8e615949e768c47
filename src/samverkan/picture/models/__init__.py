"""The local picture's tables, by topic: the catalogue (categories, named places, which
external organisations report where), the reports and their weekly counts, and the
weekly meeting with its actions."""

from samverkan.picture.models.catalogue import Category, Place, ReportingArea
from samverkan.picture.models.meetings import ActionFollowUp, ActionStatus, WeekAction, WeekMeeting
from samverkan.picture.models.reports import IncidentReport, ReportStatus, WeekCount, week_start_of

__all__ = [
    "ActionFollowUp",
    "ActionStatus",
    "Category",
    "IncidentReport",
    "Place",
    "ReportStatus",
    "ReportingArea",
    "WeekAction",
    "WeekCount",
    "WeekMeeting",
    "week_start_of",
]
