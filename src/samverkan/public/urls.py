from django.urls import path

from samverkan.public import views

app_name = "public"

urlpatterns = [
    path("omraden/", views.overview, name="overview"),
    path("omraden/<slug:code>/", views.area, name="area"),
    path("valj-sprak/<str:lang>/", views.set_language, name="set_language"),
    # The safety poll: its prefix leaves no access-log line (lib.log_privacy).
    path("trygghetsenkat/<slug:code>/", views.poll, name="poll"),
    # Moved to the agreement app (agreement:promise_*); permanent redirects for bookmarks.
    path("hantera/medborgarloften/", views.old_promise_list, name="old_promise_list"),
    path("hantera/medborgarloften/ny/", views.old_promise_new, name="old_promise_new"),
    path("hantera/medborgarloften/<int:pk>/", views.old_promise_edit, name="old_promise_edit"),
]
