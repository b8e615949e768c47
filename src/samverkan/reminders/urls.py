from django.urls import path

from samverkan.reminders import views

app_name = "reminders"

urlpatterns = [
    path("bevakningar/", views.mine, name="mine"),
    path("bevakningar/<int:pk>/klar/", views.done, name="done"),
    path("arenden/<uuid:public_id>/bevakningar/", views.case, name="case"),
]
