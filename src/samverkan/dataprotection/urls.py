from django.urls import path

from samverkan.dataprotection import views

app_name = "dataprotection"

urlpatterns = [
    path("gallring/", views.retention, name="retention"),
    path("gallring/kor/", views.retention_run, name="retention_run"),
    path("registerutdrag/", views.subject_access, name="subject_access"),
]
