from django.urls import path

from samverkan.journal import views

app_name = "journal"

urlpatterns = [
    path("<uuid:public_id>/anteckningar/", views.notes, name="notes"),
    path("<uuid:public_id>/anteckningar/ny/", views.note_new, name="note_new"),
    path("<uuid:public_id>/anteckningar/<uuid:note_id>/andra/", views.note_edit, name="note_edit"),
    path(
        "<uuid:public_id>/anteckningar/<uuid:note_id>/signera/", views.note_sign, name="note_sign"
    ),
    path(
        "<uuid:public_id>/anteckningar/<uuid:note_id>/ratta/",
        views.note_correct,
        name="note_correct",
    ),
]
