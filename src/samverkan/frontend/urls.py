from django.urls import path

from samverkan.frontend import views

app_name = "frontend"

urlpatterns = [
    path("", views.home, name="home"),
    path("sprak/", views.set_language, name="set_language"),
    path("halsa/", views.health, name="health"),
]
