"""A test URLconf: the real routes plus one view that forgot its guard."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from samverkan.urls import urlpatterns as real_urlpatterns


def forgotten_guard(request: HttpRequest) -> HttpResponse:
    return HttpResponse("secret page content")


urlpatterns = [*real_urlpatterns, path("glomt-skydd/", forgotten_guard, name="forgotten_guard")]

handler403 = "samverkan.frontend.errors.permission_denied"
