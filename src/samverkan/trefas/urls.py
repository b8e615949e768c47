"""Trefas pages, under /trefas/. A forum is named by its id; a person on the list by the
listing's id (never an identity number or a name)."""

from django.urls import path

from samverkan.trefas.views import forums, listing, notices

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
    # Shares and the jurist's queue (views/shares.py)
    # Meetings, agenda, minutes, actions (views/meetings.py)
    # Incidents and checklists (views/incidents.py)
    # Releases and leaves (views/releases.py)
    # Exits (views/exits.py)
    # Notices (views/notices.py)
    path("notiser/", notices.notices, name="notices"),
    path("notiser/markera-lasta/", notices.notices_read, name="notices_read"),
]
