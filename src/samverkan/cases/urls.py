"""The cases namespace's own pages: intake, emergency access and programme
administration. The pages that ask the case decision (list, look-up, overview, team,
closure) are casepages.urls.cases_urlpatterns, composed into the same namespace by
samverkan/urls.py."""

from django.urls import path

from samverkan.cases.views import emergency, intake, programmes

app_name = "cases"

urlpatterns = [
    path("ny/", intake.intake, name="intake"),
    path("<uuid:public_id>/nodatkomst/", emergency.emergency, name="emergency"),
    path("program/", programmes.programme_list, name="programme_list"),
    path("program/ny/", programmes.programme_edit, name="programme_create"),
    path("program/<int:pk>/", programmes.programme_edit, name="programme_edit"),
]
