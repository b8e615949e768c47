from django.urls import path

from samverkan.people import views

app_name = "people"

urlpatterns = [
    path("<uuid:public_id>/vardnadshavare/", views.guardians, name="guardians"),
]
