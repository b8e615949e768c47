"""Trefas pages, under /trefas/. A forum is named by its id; a person on the list by the
listing's id (never an identity number or a name)."""

from django.urls import path

from samverkan.trefas.views import admin, forums, retention

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
    # Releases and leaves (views/releases.py)
    # Exits (views/exits.py)
    # Notices (views/notices.py)
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
