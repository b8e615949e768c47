from django.urls import URLPattern, URLResolver, path  # noqa: F401 - each topic below adds its pages

app_name = "picture"

urlpatterns: list[URLPattern | URLResolver] = []

# Reporting, my reports, photos, the catalogue (views/reports.py, views/catalogue.py)

# The weekly joint picture (views/week.py)

# The weekly meeting and its actions (views/meetings.py)
