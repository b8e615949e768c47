from django.urls import path

from samverkan.directory import views

app_name = "directory"

urlpatterns = [
    path("organisationer/", views.organisation_list, name="organisation_list"),
    path("organisationer/ny/", views.organisation_edit, name="organisation_create"),
    path("organisationer/<int:pk>/", views.organisation_edit, name="organisation_edit"),
    path("stadsdelar/", views.district_list, name="district_list"),
    path("stadsdelar/ny/", views.district_edit, name="district_create"),
    path("stadsdelar/<int:pk>/", views.district_edit, name="district_edit"),
    path("omraden/", views.area_list, name="area_list"),
    path("omraden/ny/", views.area_edit, name="area_create"),
    path("omraden/<int:pk>/", views.area_detail, name="area_detail"),
    path("omraden/<int:pk>/andra/", views.area_edit, name="area_edit"),
    path("omraden/<int:pk>/klassning/", views.area_classify, name="area_classify"),
    path("identitet/", views.identity_edit, name="identity_edit"),
    path("identitet/logotyp.png", views.identity_logo, name="identity_logo"),
    path("identitet/tema.css", views.identity_theme, name="identity_theme"),
]
