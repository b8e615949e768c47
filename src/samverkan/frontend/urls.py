"""The UI kit's own page: the staff language switch. The root URLconf includes these
patterns with the home app's (home/urls.py) under one namespace, "frontend"."""

from django.urls import path

from samverkan.frontend import views

urlpatterns = [
    path("sprak/", views.set_language, name="set_language"),
]
