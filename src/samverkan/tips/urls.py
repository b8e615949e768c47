from django.urls import path

from samverkan.tips import views

app_name = "tips"

urlpatterns = [
    # Public (no login)
    path("tipsa/", views.submit, name="submit"),
    path("tipsa/kvitto/", views.receipt, name="receipt"),
    # Staff inbox
    path("tips/", views.inbox, name="inbox"),
    path("tips/export.csv", views.export_csv, name="export"),
    path("tips/routning/", views.routing, name="routing"),
    path("tips/routning/<int:pk>/ta-bort/", views.routing_delete, name="routing_delete"),
    path("tips/<uuid:tip_id>/", views.detail, name="detail"),
    path("tips/<uuid:tip_id>/status/", views.set_status, name="status"),
    path("tips/<uuid:tip_id>/vidarebefordra/", views.forward, name="forward"),
    path("tips/<uuid:tip_id>/svara/", views.reply, name="reply"),
]
