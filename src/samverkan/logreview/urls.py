from django.urls import path

from samverkan.logreview import views

app_name = "logreview"

urlpatterns = [
    path("", views.index, name="index"),
    path("dra-urval/", views.start_sample, name="sample"),
    path("<int:year>-<int:month>/", views.review, name="review"),
    path("<int:year>-<int:month>/<int:pk>/", views.mark, name="mark"),
]
