"""Trefas tables, by topic: forums, the list and groups, shares, meetings and actions,
incidents with releases, exits, notices and retention rules."""

from .forums import Forum, ForumMember, ForumOrganisation, ForumRole, MemberKind
from .incidents import ChecklistTemplate, Incident, IncidentKind, IncidentLink, LinkRole
from .listing import RATING_ORDER, Conflict, ConflictStatus, Group, GroupMembership, Listing, Rating, RatingChange
from .meetings import ActionItem, ActionStatus, ForumMeeting, MeetingAttendance, MeetingDiscussion, MeetingStatus
from .notices import Notice, NoticeKind, RecordType, RetentionRule
from .releases import ExitKind, ExitLink, Release, ReleaseKind
from .shares import VISIBLE_STATES, Share, ShareState, ShareTopic

__all__ = [
    "RATING_ORDER", "VISIBLE_STATES", "ActionItem", "ActionStatus", "ChecklistTemplate", "Conflict", "ConflictStatus",
    "ExitKind", "ExitLink", "Forum", "ForumMeeting", "ForumMember", "ForumOrganisation",
    "ForumRole", "Group", "GroupMembership", "Incident", "IncidentKind", "IncidentLink", "LinkRole",
    "Listing", "MeetingAttendance", "MeetingDiscussion", "MeetingStatus", "MemberKind", "Notice",
    "NoticeKind", "Rating", "RatingChange", "RecordType", "Release", "ReleaseKind", "RetentionRule",
    "Share", "ShareState", "ShareTopic",
]
