"""Mounted under /arenden/<uuid:public_id>/moten/ (the case's public id comes first)."""

from django.urls import path

from samverkan.meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("nytt/", views.meeting_new, name="new"),
    path("<uuid:meeting_id>/", views.meeting_detail, name="detail"),
    path("<uuid:meeting_id>/andra/", views.meeting_edit, name="edit"),
    path("<uuid:meeting_id>/stall-in/", views.meeting_cancel, name="cancel"),
    path("<uuid:meeting_id>/narvaro/", views.attendance, name="attendance"),
    path("<uuid:meeting_id>/protokoll/nytt/", views.minutes_new, name="minutes_new"),
    path("<uuid:meeting_id>/protokoll/<uuid:minutes_id>/", views.minutes_edit, name="minutes_edit"),
    path(
        "<uuid:meeting_id>/protokoll/<uuid:minutes_id>/signera/",
        views.minutes_sign,
        name="minutes_sign",
    ),
    path(
        "<uuid:meeting_id>/protokoll/<uuid:minutes_id>/beslut/",
        views.decision_new,
        name="decision_new",
    ),
    path(
        "<uuid:meeting_id>/beslut/<uuid:decision_id>/atagande/",
        views.decision_commit,
        name="decision_commit",
    ),
]
