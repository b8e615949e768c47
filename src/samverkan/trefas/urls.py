"""Trefas pages, under /trefas/. A forum is named by its id; a person on the list by the
listing's id (never an identity number or a name)."""

from django.urls import path

from samverkan.trefas.views import forums, groups, shares

app_name = "trefas"

urlpatterns = [
    # Forums and the list (views/forums.py, views/listing.py)
    path("", forums.forum_list, name="forums"),
    path("<int:forum_id>/", forums.forum_detail, name="forum"),
    # The list and ratings (views/listing.py)
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
    # Meetings, agenda, minutes, actions (views/meetings.py)
    # Incidents and checklists (views/incidents.py)
    # Releases and leaves (views/releases.py)
    # Exits (views/exits.py)
    # Notices (views/notices.py)
]
