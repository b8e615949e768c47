"""Trefas pages, under /trefas/. A forum is named by its id; a person on the list by the
listing's id (never an identity number or a name)."""

from django.urls import path

from samverkan.trefas.views import actions, forums, meetings

app_name = "trefas"

urlpatterns = [
    # Forums and the list (views/forums.py, views/listing.py)
    path("", forums.forum_list, name="forums"),
    path("<int:forum_id>/", forums.forum_detail, name="forum"),
    # The list and ratings (views/listing.py)
    # Groups and conflicts (views/groups.py)
    # Shares and the jurist's queue (views/shares.py)
    # Meetings, agenda, minutes, actions (views/meetings.py, views/actions.py)
    path("<int:forum_id>/moten/", meetings.meeting_list, name="meetings"),
    path("<int:forum_id>/moten/nytt/", meetings.meeting_new, name="meeting_new"),
    path("<int:forum_id>/moten/<int:meeting_id>/", meetings.meeting_detail, name="meeting"),
    path("<int:forum_id>/moten/<int:meeting_id>/dagordning.pdf", meetings.meeting_pdf, name="meeting_pdf"),
    path("<int:forum_id>/moten/<int:meeting_id>/stall-in/", meetings.meeting_cancel, name="meeting_cancel"),
    path("<int:forum_id>/moten/<int:meeting_id>/narvaro/", meetings.meeting_attendance, name="meeting_attendance"),
    path("<int:forum_id>/moten/<int:meeting_id>/genomgangna/", meetings.meeting_discussed,
         name="meeting_discussed"),
    path("<int:forum_id>/moten/<int:meeting_id>/protokoll/", meetings.meeting_minutes, name="meeting_minutes"),
    path("<int:forum_id>/moten/<int:meeting_id>/justera/", meetings.meeting_sign, name="meeting_sign"),
    path("<int:forum_id>/moten/<int:meeting_id>/atgard/", meetings.meeting_action_new, name="meeting_action_new"),
    path("<int:forum_id>/atgarder/", actions.action_list, name="actions"),
    path("<int:forum_id>/atgarder/<int:action_id>/status/", actions.action_status, name="action_status"),
    # Incidents and checklists (views/incidents.py)
    # Releases and leaves (views/releases.py)
    # Exits (views/exits.py)
    # Notices (views/notices.py)
]
