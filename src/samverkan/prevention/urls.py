from django.urls import URLPattern, URLResolver, path

from samverkan.prevention.views import coordination, overview

app_name = "prevention"

urlpatterns: list[URLPattern | URLResolver] = []

# Overview, coordination and the yearly cycle (views/overview.py, views/coordination.py)
urlpatterns += [
    path("", overview.index, name="index"),
    path("samordning/<slug:scope>/samordnare/ny/", coordination.coordinator_add, name="coordinator_add"),
    path("samordning/samordnare/<int:pk>/", coordination.coordinator_edit, name="coordinator_edit"),
    path("samordning/<slug:scope>/arshjul/", coordination.cycle_generate, name="cycle_generate"),
    path("samordning/steg/<int:pk>/", coordination.step_edit, name="step_edit"),
    path("samordning/steg/<int:pk>/klar/", coordination.step_done, name="step_done"),
]

# Lägesbild (views/situation.py)

# Åtgärdsplan (views/plans.py)
