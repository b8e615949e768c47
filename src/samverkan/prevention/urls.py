from django.urls import URLPattern, URLResolver, path  # noqa: F401 - each topic below adds its pages

app_name = "prevention"

urlpatterns: list[URLPattern | URLResolver] = []

# Overview, coordination and the yearly cycle (views/overview.py, views/coordination.py)

# Lägesbild (views/situation.py)

# Åtgärdsplan (views/plans.py)
