"""Root URLconf. Every view is guarded (access.guards) or on the public allowlist;
tests/access/test_url_guards.py walks this tree and fails on any that is neither."""

from django.urls import include, path

from samverkan.frontend import errors
from samverkan.frontend import urls as frontend_urls
from samverkan.home import urls as home_urls

urlpatterns = [
    # One namespace, "frontend", for the home page and health check (home app) and the
    # language switch (UI kit): their URL names predate the split.
    path("", include((home_urls.urlpatterns + frontend_urls.urlpatterns, "frontend"))),
    path("konto/", include("samverkan.accounts.urls")),
    path("katalog/", include("samverkan.directory.urls")),
    path("logg/", include("samverkan.logreview.trail_urls")),
    path("jobb/", include("samverkan.jobs.urls")),
    path("arenden/", include("samverkan.cases.urls")),
    path("arenden/", include("samverkan.consent.urls")),
    path("arenden/", include("samverkan.journal.urls")),
    path("arenden/", include("samverkan.people.urls")),
    path("arenden/<uuid:public_id>/plan/", include("samverkan.plans.urls")),
    path("arenden/<uuid:public_id>/moten/", include("samverkan.meetings.urls")),
    path("", include("samverkan.reminders.urls")),
    path("dataskydd/", include("samverkan.dataprotection.urls")),
    path("loggranskning/", include("samverkan.logreview.urls")),
    path("statistik/", include("samverkan.followup.urls")),
    path("aktionsgrupper/", include("samverkan.actiongroups.urls")),
    path("bemanning/", include("samverkan.rostering.urls")),
    path("", include("samverkan.public.urls")),
    path("", include("samverkan.tips.urls")),
]

handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error
