"""The home page and the health check. Their URL names stay in the shell's namespace
("frontend:home", "frontend:health"): the root URLconf includes these patterns together
with the UI kit's (frontend/urls.py) under that one namespace."""

from django.urls import path

from samverkan.home import views

urlpatterns = [
    path("", views.home, name="home"),
    path("halsa/", views.health, name="health"),
]
