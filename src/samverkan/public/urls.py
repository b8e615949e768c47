from django.urls import path

from samverkan.public import views

app_name = "public"

urlpatterns = [
    path("omraden/", views.overview, name="overview"),
    path("omraden/<slug:code>/", views.area, name="area"),
    path("valj-sprak/<str:lang>/", views.set_language, name="set_language"),
    path("hantera/medborgarloften/", views.promise_list, name="promise_list"),
    path("hantera/medborgarloften/ny/", views.promise_edit, name="promise_create"),
    path("hantera/medborgarloften/<int:pk>/", views.promise_edit, name="promise_edit"),
]
