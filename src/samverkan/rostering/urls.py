from django.urls import path

from samverkan.rostering import views

app_name = "rostering"

urlpatterns = [
    path("experter/", views.expert_list, name="expert_list"),
    path("experter/ny/", views.expert_edit, name="expert_create"),
    path("experter/<int:pk>/", views.expert_detail, name="expert_detail"),
    path("experter/<int:pk>/andra/", views.expert_edit, name="expert_edit"),
    path("experter/<int:pk>/franvaro/", views.leave_add, name="leave_add"),
    path(
        "experter/<int:pk>/franvaro/<int:leave_pk>/ta-bort/",
        views.leave_remove,
        name="leave_remove",
    ),
    path("experter/<int:pk>/kalender/", views.expert_calendar, name="expert_calendar"),
    path("experter/<int:pk>/kalender/export/ical/", views.expert_ical, name="expert_ical"),
    path("experter/<int:pk>/byte/<str:shift_id>/", views.swap_create, name="swap_create"),
    path("mitt-schema/", views.expert_calendar, name="my_calendar"),
    path("mitt-schema/export/ical/", views.expert_ical, name="my_ical"),
    path("grupper/<int:group_pk>/", views.group_roster, name="group_roster"),
    path("grupper/<int:group_pk>/regler/", views.group_settings, name="group_settings"),
    path("grupper/<int:group_pk>/i-tjanst/", views.on_duty, name="on_duty"),
    path("planer/<int:pk>/omplanera/", views.plan_replan, name="plan_replan"),
    path("versioner/<int:pk>/", views.version_detail, name="version_detail"),
    path("versioner/<int:pk>/publicera/", views.version_publish, name="version_publish"),
    path("versioner/<int:pk>/export/csv/", views.export_csv, name="export_csv"),
    path("versioner/<int:pk>/export/xlsx/", views.export_xlsx, name="export_xlsx"),
    path("versioner/<int:pk>/export/pdf/", views.export_pdf, name="export_pdf"),
    path("byten/", views.swap_list, name="swap_list"),
    path("byten/<int:pk>/beslut/", views.swap_decide, name="swap_decide"),
    path("kapacitet/", views.capacity, name="capacity"),
    path("kapacitet/export/pdf/", views.capacity_memo, name="capacity_memo"),
    path("kapacitet/bevisa/", views.capacity_prove, name="capacity_prove"),
    path("kontrollera/", views.validate_upload, name="validate_upload"),
]
