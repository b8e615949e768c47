from django.urls import URLPattern, URLResolver, path

app_name = "prevention"

urlpatterns: list[URLPattern | URLResolver] = []

# Overview, coordination and the yearly cycle (views/overview.py, views/coordination.py)

# Lägesbild (views/situation.py)

# Åtgärdsplan (views/plans.py)
from samverkan.prevention.views import plans as plan_views  # noqa: E402 - grouped with its section

_PLAN = "atgardsplan/<int:plan_id>/"
_MEASURE = _PLAN + "atgard/<int:measure_id>/"
urlpatterns += [
    path("atgardsplan/", plan_views.plan_list, name="plan_list"),
    path("atgardsplan/ny/", plan_views.plan_new, name="plan_new"),
    path(_PLAN, plan_views.plan_detail, name="plan"),
    path(_PLAN + "andra/", plan_views.plan_edit, name="plan_edit"),
    path(_PLAN + "ny-version/", plan_views.plan_new_version, name="plan_new_version"),
    path(_PLAN + "enas/", plan_views.plan_agree, name="plan_agree"),
    path(_PLAN + "utkast/", plan_views.plan_reopen, name="plan_reopen"),
    path(_PLAN + "besluta/", plan_views.plan_decide, name="plan_decide"),
    path(_PLAN + "uppfoljning/", plan_views.plan_follow_up, name="plan_follow_up"),
    path(_PLAN + "uppfoljning.pdf", plan_views.plan_follow_up_pdf, name="plan_follow_up_pdf"),
    path(_PLAN + "uppfoljning.csv", plan_views.plan_follow_up_csv, name="plan_follow_up_csv"),
    path(_PLAN + "uppfoljning.xlsx", plan_views.plan_follow_up_xlsx, name="plan_follow_up_xlsx"),
    path(_PLAN + "atgard/ny/", plan_views.measure_new, name="measure_new"),
    path(_MEASURE, plan_views.measure_detail, name="measure"),
    path(_MEASURE + "andra/", plan_views.measure_edit, name="measure_edit"),
    path(_MEASURE + "ta-bort/", plan_views.measure_remove, name="measure_remove"),
    path(_MEASURE + "uppfoljning/", plan_views.measure_progress, name="measure_progress"),
]
