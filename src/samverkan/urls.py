"""Root URLconf. Every view is guarded (access.guards) or on the public allowlist;
tests/access/test_url_guards.py walks this tree and fails on any that is neither."""

from django.urls import include, path

from samverkan.casepages import urls as case_pages
from samverkan.cases import urls as cases_urls
from samverkan.consent import urls as consent_urls
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
    # One namespace from two pattern lists: the app's own pages and the case pages that
    # ask the case decision (casepages, above caseaccess; docs/adr/0011).
    path("arenden/", include((case_pages.cases_urlpatterns + cases_urls.urlpatterns, "cases"))),
    path("arenden/", include((case_pages.consent_urlpatterns + consent_urls.urlpatterns, "consent"))),
    path("arenden/", include("samverkan.journal.urls")),
    path("arenden/", include((case_pages.people_urlpatterns, "people"))),
    path("arenden/<uuid:public_id>/plan/", include("samverkan.plans.urls")),
    path("arenden/<uuid:public_id>/moten/", include("samverkan.meetings.urls")),
    path("trefas/", include("samverkan.trefas.urls")),
    path("trygghet/", include("samverkan.picture.urls")),
    path("brottsforebyggande/", include("samverkan.prevention.urls")),
    path("overenskommelser/", include("samverkan.agreement.urls")),
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
