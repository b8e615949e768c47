"""The audit trail's viewer, included at /logg/ under its historical namespace "audit"
(audit:event_list, audit:event_export, audit:verify)."""

from django.urls import path

from samverkan.logreview import trail_views as views

app_name = "audit"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("export.csv", views.event_export, name="event_export"),
    path("verifiera/", views.verify, name="verify"),
]
