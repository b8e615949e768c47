from django.urls import URLPattern, URLResolver, path

from samverkan.picture.views import catalogue, reports
from samverkan.picture.views import meetings as meeting_views
from samverkan.picture.views import week as week_views

app_name = "picture"

urlpatterns: list[URLPattern | URLResolver] = []

# Reporting, my reports, photos, the catalogue (views/reports.py, views/catalogue.py)
urlpatterns += [
    path("rapportera/", reports.report_new, name="report"),
    path("mina-rapporter/", reports.my_reports, name="my_reports"),
    path("rapporter/<uuid:public_id>/", reports.report_detail, name="report_detail"),
    path("rapporter/<uuid:public_id>/foto/", reports.report_photo, name="report_photo"),
    path("rapporter/<uuid:public_id>/dra-tillbaka/", reports.report_withdraw, name="report_withdraw"),
    path("katalog/", catalogue.catalogue, name="catalogue"),
    path("katalog/kategorier/ny/", catalogue.category_edit, name="category_new"),
    path("katalog/kategorier/<int:pk>/", catalogue.category_edit, name="category_edit"),
    path("katalog/omraden/<slug:area_code>/", catalogue.area_catalogue, name="catalogue_area"),
    path("katalog/omraden/<slug:area_code>/platser/ny/", catalogue.place_edit, name="place_new"),
    path("katalog/omraden/<slug:area_code>/platser/<int:pk>/", catalogue.place_edit, name="place_edit"),
    path("katalog/omraden/<slug:area_code>/rapportorer/ny/", catalogue.reporter_add, name="reporter_add"),
    path("katalog/omraden/<slug:area_code>/rapportorer/<int:pk>/ta-bort/", catalogue.reporter_remove,
         name="reporter_remove"),
]

# The weekly joint picture (views/week.py)
urlpatterns += [
    path("", week_views.index, name="index"),
    path("omrade/<slug:area>/", week_views.area, name="area"),
    path("omrade/<slug:area>/vecka/<str:week>/", week_views.area_week, name="area_week"),
    path("omrade/<slug:area>/vecka/<str:week>/pdf/", week_views.week_pdf, name="week_pdf"),
    path("stadsdel/<slug:district>/vecka/<str:week>/", week_views.district_week, name="district_week"),
]

# The weekly meeting and its actions (views/meetings.py)
_MEETING = "omrade/<slug:area>/vecka/<str:week>/mote/"
urlpatterns += [
    path(_MEETING, meeting_views.meeting, name="meeting"),
    path(f"{_MEETING}oppna/", meeting_views.meeting_open, name="meeting_open"),
    path(f"{_MEETING}uppgifter/", meeting_views.meeting_record, name="meeting_record"),
    path(f"{_MEETING}atgard/", meeting_views.meeting_action_add, name="meeting_action_add"),
    path(f"{_MEETING}uppfoljning/<int:action_id>/", meeting_views.meeting_follow_up, name="meeting_follow_up"),
    path(f"{_MEETING}avsluta/", meeting_views.meeting_close, name="meeting_close"),
    path("atgarder/", meeting_views.actions, name="actions"),
    path("atgarder/<int:action_id>/status/", meeting_views.action_status, name="action_status"),
]
