from django.urls import path

from samverkan.rostering.views import capacity, experts, exports, rosters, swaps, uploads

app_name = "rostering"

urlpatterns = [
    path("experter/", experts.expert_list, name="expert_list"),
    path("experter/ny/", experts.expert_edit, name="expert_create"),
    path("experter/<int:pk>/", experts.expert_detail, name="expert_detail"),
    path("experter/<int:pk>/andra/", experts.expert_edit, name="expert_edit"),
    path("experter/<int:pk>/franvaro/", experts.leave_add, name="leave_add"),
    path(
        "experter/<int:pk>/franvaro/<int:leave_pk>/ta-bort/",
        experts.leave_remove,
        name="leave_remove",
    ),
    path("experter/<int:pk>/kalender/", experts.expert_calendar, name="expert_calendar"),
    path("experter/<int:pk>/kalender/export/ical/", experts.expert_ical, name="expert_ical"),
    path("experter/<int:pk>/byte/<str:shift_id>/", swaps.swap_create, name="swap_create"),
    path("mitt-schema/", experts.expert_calendar, name="my_calendar"),
    path("mitt-schema/export/ical/", experts.expert_ical, name="my_ical"),
    path("grupper/<int:group_pk>/", rosters.group_roster, name="group_roster"),
    path("grupper/<int:group_pk>/regler/", rosters.group_settings, name="group_settings"),
    path("grupper/<int:group_pk>/i-tjanst/", rosters.on_duty, name="on_duty"),
    path("planer/<int:pk>/omplanera/", rosters.plan_replan, name="plan_replan"),
    path("versioner/<int:pk>/", rosters.version_detail, name="version_detail"),
    path("versioner/<int:pk>/publicera/", rosters.version_publish, name="version_publish"),
    path("versioner/<int:pk>/export/csv/", exports.export_csv, name="export_csv"),
    path("versioner/<int:pk>/export/xlsx/", exports.export_xlsx, name="export_xlsx"),
    path("versioner/<int:pk>/export/pdf/", exports.export_pdf, name="export_pdf"),
    path("byten/", swaps.swap_list, name="swap_list"),
    path("byten/<int:pk>/beslut/", swaps.swap_decide, name="swap_decide"),
    path("kapacitet/", capacity.capacity, name="capacity"),
    path("kapacitet/export/pdf/", capacity.capacity_memo, name="capacity_memo"),
    path("kapacitet/bevisa/", capacity.capacity_prove, name="capacity_prove"),
    path("kontrollera/", uploads.validate_upload, name="validate_upload"),
]
