from django.urls import URLPattern, URLResolver, path

app_name = "agreement"

urlpatterns: list[URLPattern | URLResolver] = []

# Agreements, commitments, follow-up, presence, forums (views/*.py)

# Citizen promises and their progress (views/promises.py)
from samverkan.agreement.views import promises  # noqa: E402 - kept in its topic's block

urlpatterns += [
    path("medborgarloften/", promises.promise_list, name="promise_list"),
    path("medborgarloften/ny/", promises.promise_new, name="promise_new"),
    path("medborgarloften/<int:pk>/", promises.promise_progress, name="promise_progress"),
    path("medborgarloften/<int:pk>/andra/", promises.promise_edit, name="promise_edit"),
    path("medborgarloften/<int:pk>/publicera/", promises.promise_publish, name="promise_publish"),
]
