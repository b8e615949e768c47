from django.urls import path

from samverkan.jobs import views

app_name = "jobs"

urlpatterns = [
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/avbryt/", views.cancel, name="cancel"),
]
