from django.urls import URLPattern, URLResolver, path

from samverkan.picture.views import week as week_views

app_name = "picture"

urlpatterns: list[URLPattern | URLResolver] = []

# Reporting, my reports, photos, the catalogue (views/reports.py, views/catalogue.py)

# The weekly joint picture (views/week.py)
urlpatterns += [
    path("", week_views.index, name="index"),
    path("omrade/<slug:area>/", week_views.area, name="area"),
    path("omrade/<slug:area>/vecka/<str:week>/", week_views.area_week, name="area_week"),
    path("omrade/<slug:area>/vecka/<str:week>/pdf/", week_views.week_pdf, name="week_pdf"),
    path("stadsdel/<slug:district>/vecka/<str:week>/", week_views.district_week, name="district_week"),
]

# The weekly meeting and its actions (views/meetings.py)
