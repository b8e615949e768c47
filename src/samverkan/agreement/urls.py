from django.urls import URLPattern, URLResolver, path  # noqa: F401 - each topic below adds its pages

app_name = "agreement"

urlpatterns: list[URLPattern | URLResolver] = []

# Agreements, commitments, follow-up, presence, forums (views/*.py)

# Citizen promises and their progress (views/promises.py)
