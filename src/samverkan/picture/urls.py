from django.urls import URLPattern, URLResolver, path

app_name = "picture"

urlpatterns: list[URLPattern | URLResolver] = []

# Reporting, my reports, photos, the catalogue (views/reports.py, views/catalogue.py)

# The weekly joint picture (views/week.py)

# The weekly meeting and its actions (views/meetings.py)
from samverkan.picture.views import meetings as meeting_views  # noqa: E402 - kept in this topic's section

_MEETING = "omrade/<slug:area>/vecka/<str:week>/mote/"
urlpatterns += [
    path(_MEETING, meeting_views.meeting, name="meeting"),
    path(f"{_MEETING}oppna/", meeting_views.meeting_open, name="meeting_open"),
    path(f"{_MEETING}uppgifter/", meeting_views.meeting_record, name="meeting_record"),
    path(f"{_MEETING}atgard/", meeting_views.meeting_action_add, name="meeting_action_add"),
    path(f"{_MEETING}uppfoljning/<int:action_id>/", meeting_views.meeting_follow_up, name="meeting_follow_up"),
    path(f"{_MEETING}avsluta/", meeting_views.meeting_close, name="meeting_close"),
    path("atgarder/", meeting_views.actions, name="actions"),
    path("atgarder/<int:action_id>/status/", meeting_views.action_status, name="action_status"),
]
