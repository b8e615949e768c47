"""Trefas pages, under /trefas/. A forum is named by its id; a person on the list by the
listing's id (never an identity number or a name)."""

from django.urls import path

from samverkan.trefas.views import exits, forums, incidents, releases

app_name = "trefas"

urlpatterns = [
    # Forums and the list (views/forums.py, views/listing.py)
    path("", forums.forum_list, name="forums"),
    path("<int:forum_id>/", forums.forum_detail, name="forum"),
    # The list and ratings (views/listing.py)
    # Groups and conflicts (views/groups.py)
    # Shares and the jurist's queue (views/shares.py)
    # Meetings, agenda, minutes, actions (views/meetings.py)
    # Incidents and checklists (views/incidents.py)
    path("<int:forum_id>/handelser/", incidents.incident_list, name="incidents"),
    path("<int:forum_id>/handelser/ny/", incidents.incident_new, name="incident_new"),
    path("<int:forum_id>/handelser/<int:incident_id>/", incidents.incident_detail, name="incident"),
    path("<int:forum_id>/handelser/<int:incident_id>/koppla/", incidents.incident_link, name="incident_link"),
    path("<int:forum_id>/handelser/<int:incident_id>/atgarder/<int:action_id>/klar/",
         incidents.incident_action_done, name="incident_action_done"),
    path("checklista/", incidents.checklist_template_list, name="checklist_templates"),
    path("checklista/ny/", incidents.checklist_template_edit, name="checklist_template_new"),
    path("checklista/<int:pk>/", incidents.checklist_template_edit, name="checklist_template_edit"),
    # Releases and leaves (views/releases.py)
    path("<int:forum_id>/frigivningar/", releases.release_list, name="releases"),
    path("<int:forum_id>/frigivningar/ny/", releases.release_new, name="release_new"),
    path("<int:forum_id>/frigivningar/<int:release_id>/", releases.release_detail, name="release"),
    path("<int:forum_id>/frigivningar/<int:release_id>/avbryt/", releases.release_cancel, name="release_cancel"),
    path("<int:forum_id>/frigivningar/<int:release_id>/atgard/", releases.release_action_new,
         name="release_action_new"),
    path("<int:forum_id>/frigivningar/<int:release_id>/atgarder/<int:action_id>/klar/",
         releases.release_action_done, name="release_action_done"),
    # Exits (views/exits.py)
    path("<int:forum_id>/lista/<int:listing_id>/vag-ut/", exits.exit_new, name="exit_new"),
    # Notices (views/notices.py)
]
