"""Mounted under /arenden/<uuid:public_id>/moten/ (the case's public id comes first)."""

from django.urls import path

from samverkan.meetings.views import meetings, minutes

app_name = "meetings"

urlpatterns = [
    path("", meetings.meeting_list, name="list"),
    path("nytt/", meetings.meeting_new, name="new"),
    path("<uuid:meeting_id>/", meetings.meeting_detail, name="detail"),
    path("<uuid:meeting_id>/andra/", meetings.meeting_edit, name="edit"),
    path("<uuid:meeting_id>/stall-in/", meetings.meeting_cancel, name="cancel"),
    path("<uuid:meeting_id>/narvaro/", meetings.attendance, name="attendance"),
    path("<uuid:meeting_id>/protokoll/nytt/", minutes.minutes_new, name="minutes_new"),
    path("<uuid:meeting_id>/protokoll/<uuid:minutes_id>/", minutes.minutes_edit, name="minutes_edit"),
    path(
        "<uuid:meeting_id>/protokoll/<uuid:minutes_id>/signera/",
        minutes.minutes_sign,
        name="minutes_sign",
    ),
    path(
        "<uuid:meeting_id>/protokoll/<uuid:minutes_id>/beslut/",
        minutes.decision_new,
        name="decision_new",
    ),
    path(
        "<uuid:meeting_id>/beslut/<uuid:decision_id>/atagande/",
        minutes.decision_commit,
        name="decision_commit",
    ),
]
