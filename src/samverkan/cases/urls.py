from django.urls import path

from samverkan.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.my_cases, name="list"),
    path("ny/", views.intake, name="intake"),
    path("sok/", views.lookup, name="lookup"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/beslut/", views.decide, name="decide"),
    path("<uuid:public_id>/team/", views.team, name="team"),
    path("<uuid:public_id>/team/<int:member_id>/ta-bort/", views.team_remove, name="team_remove"),
    path("<uuid:public_id>/nodatkomst/", views.emergency, name="emergency"),
    path("<uuid:public_id>/byt-program/", views.transfer, name="transfer"),
]


# Closure, follow-ups and legal hold (cases/closure_views.py); programme administration
# (cases/admin_views.py).
from samverkan.cases import admin_views, closure_views  # noqa: E402

urlpatterns += [
    path("<uuid:public_id>/avslut/", closure_views.closure, name="closure"),
    path("<uuid:public_id>/avslut/stang/", closure_views.close, name="close"),
    path(
        "<uuid:public_id>/avslut/uppfoljning/<int:pk>/", closure_views.follow_up, name="follow_up"
    ),
    path(
        "<uuid:public_id>/avslut/rattslig-kvarhallning/",
        closure_views.legal_hold,
        name="legal_hold",
    ),
    path("program/", admin_views.programme_list, name="programme_list"),
    path("program/ny/", admin_views.programme_edit, name="programme_create"),
    path("program/<int:pk>/", admin_views.programme_edit, name="programme_edit"),
]
