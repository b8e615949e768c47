"""Trefas pages, under /trefas/. A forum is named by its id; a person on the list by the
listing's id (never an identity number or a name)."""

from django.urls import path

from samverkan.trefas.views import (
    actions,
    admin,
    exits,
    forums,
    groups,
    incidents,
    listing,
    meetings,
    notices,
    releases,
    retention,
    shares,
)

app_name = "trefas"

urlpatterns = [
    # Forums and the list (views/forums.py, views/listing.py)
    path("", forums.forum_list, name="forums"),
    path("<int:forum_id>/", listing.forum, name="forum"),
    # The list and ratings (views/listing.py)
    path("<int:forum_id>/nominera/", listing.nominate, name="nominate"),
    path("<int:forum_id>/person/<int:listing_id>/", listing.person, name="person"),
    path("<int:forum_id>/person/<int:listing_id>/bedom/", listing.rate, name="rate"),
    path("<int:forum_id>/person/<int:listing_id>/ta-bort/", listing.remove, name="remove"),
    # Groups and conflicts (views/groups.py)
    path("<int:forum_id>/grupper/", groups.groups, name="groups"),
    path("<int:forum_id>/grupper/ny/", groups.group_new, name="group_new"),
    path("<int:forum_id>/grupper/<int:group_id>/medlemmar/", groups.group_member_add, name="group_member_add"),
    path("<int:forum_id>/grupper/medlemskap/<int:membership_id>/avsluta/", groups.group_member_end,
         name="group_member_end"),
    path("<int:forum_id>/grupper/konflikter/ny/", groups.conflict_new, name="conflict_new"),
    path("<int:forum_id>/grupper/konflikter/<int:conflict_id>/", groups.conflict_status, name="conflict_status"),
    # Shares and the jurist's queue (views/shares.py)
    path("<int:forum_id>/delningar/", shares.shares, name="shares"),
    path("<int:forum_id>/lista/<int:listing_id>/dela/", shares.share_new, name="share_new"),
    path("<int:forum_id>/grupper/<int:group_id>/dela/", shares.group_share_new, name="group_share_new"),
    path("<int:forum_id>/delningar/<int:share_id>/beslut/", shares.share_decide, name="share_decide"),
    path("<int:forum_id>/delningar/<int:share_id>/aterkalla/", shares.share_withdraw, name="share_withdraw"),
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
    path("notiser/", notices.notices, name="notices"),
    path("notiser/markera-lasta/", notices.notices_read, name="notices_read"),
    # Forum administration, system administrators (views/admin.py): the set-up only
    path("admin/", admin.forum_list, name="admin_forums"),
    path("admin/ny/", admin.forum_edit, name="admin_forum_new"),
    path("admin/<int:forum_id>/", admin.forum_detail, name="admin_forum"),
    path("admin/<int:forum_id>/installningar/", admin.forum_edit, name="admin_forum_edit"),
    path("admin/<int:forum_id>/organisationer/ny/", admin.organisation_edit, name="admin_organisation_new"),
    path("admin/<int:forum_id>/organisationer/<int:membership_id>/", admin.organisation_edit,
         name="admin_organisation"),
    path("admin/<int:forum_id>/medlemmar/ny/", admin.member_edit, name="admin_member_new"),
    path("admin/<int:forum_id>/medlemmar/<int:member_id>/", admin.member_edit, name="admin_member"),
    path("admin/<int:forum_id>/medlemmar/<int:member_id>/avsluta/", admin.member_deactivate,
         name="admin_member_deactivate"),
    # Retention of Trefas records, the data-protection officer (views/retention.py)
    path("gallring/", retention.overview, name="retention"),
    path("gallring/regler/", retention.rule_edit, name="retention_rules"),
    path("gallring/kor/", retention.run, name="retention_run"),
]
