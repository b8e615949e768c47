"""Root URLconf. Every view is guarded (access.guards) or on the public allowlist;
tests/access/test_url_guards.py walks this tree and fails on any that is neither."""

from django.urls import include, path

from samverkan.frontend import errors

urlpatterns = [
    path("", include("samverkan.frontend.urls")),
    path("konto/", include("samverkan.accounts.urls")),
    path("katalog/", include("samverkan.directory.urls")),
    path("logg/", include("samverkan.audit.urls")),
    path("jobb/", include("samverkan.jobs.urls")),
]

handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error
