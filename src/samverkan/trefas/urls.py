"""Trefas pages, under /trefas/. A forum is named by its id; a person on the list by the
listing's id (never an identity number or a name)."""

from django.urls import path

from samverkan.trefas.views import forums, groups, listing, notices, shares

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
    # Meetings, agenda, minutes, actions (views/meetings.py)
    # Incidents and checklists (views/incidents.py)
    # Releases and leaves (views/releases.py)
    # Exits (views/exits.py)
    # Notices (views/notices.py)
    path("notiser/", notices.notices, name="notices"),
    path("notiser/markera-lasta/", notices.notices_read, name="notices_read"),
]
