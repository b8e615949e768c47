from django.urls import path

from samverkan.followup import views

app_name = "followup"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    # A Trefas forum's statistics
    path("trefas/<int:forum_id>/", views.trefas, name="trefas"),
    path("trefas/<int:forum_id>/export.csv", views.trefas_csv, name="trefas_csv"),
    path("trefas/<int:forum_id>/export.xlsx", views.trefas_xlsx, name="trefas_xlsx"),
]
