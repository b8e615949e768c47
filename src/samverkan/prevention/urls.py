from django.urls import URLPattern, URLResolver, path

from samverkan.prevention.views import coordination, overview, situation, situation_parts
from samverkan.prevention.views import plans as plan_views

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

# Lägesbild (views/situation.py, views/situation_parts.py)
_doc = "lagesbild/<int:report_id>/"
urlpatterns += [
    path("lagesbild/", situation.situation_list, name="situation_list"),
    path("lagesbild/ny/", situation.situation_new, name="situation_new"),
    path(_doc, situation.situation, name="situation"),
    path(_doc + "utskrift/", situation.situation_print, name="situation_print"),
    path(_doc + "pdf/", situation.situation_pdf_view, name="situation_pdf"),
    path(_doc + "uppgifter/", situation.situation_details, name="situation_details"),
    path(_doc + "avsnitt/<slug:section>/", situation.situation_section, name="situation_section"),
    path(_doc + "deltagare/", situation.situation_participants, name="situation_participants"),
    path(_doc + "enighet/", situation.situation_agree, name="situation_agree"),
    path(_doc + "beslut/", situation.situation_decide, name="situation_decide"),
    path(_doc + "tabeller/ny/", situation_parts.table_new, name="situation_table_new"),
    path(_doc + "tabeller/ny-fran-samverkan/", situation_parts.table_app, name="situation_table_app"),
    path(_doc + "tabeller/<int:table_id>/", situation_parts.table_edit, name="situation_table_edit"),
    path(_doc + "tabeller/<int:table_id>/ta-bort/", situation_parts.table_remove, name="situation_table_remove"),
    path(_doc + "problem/ny/", situation_parts.problem_new, name="situation_problem_new"),
    path(_doc + "problem/<int:problem_id>/", situation_parts.problem_edit, name="situation_problem_edit"),
    path(_doc + "problem/<int:problem_id>/ta-bort/", situation_parts.problem_remove,
         name="situation_problem_remove"),
    path(_doc + "dialoger/ny/", situation_parts.dialogue_new, name="situation_dialogue_new"),
    path(_doc + "dialoger/<int:dialogue_id>/", situation_parts.dialogue_edit, name="situation_dialogue_edit"),
    path(_doc + "dialoger/<int:dialogue_id>/ta-bort/", situation_parts.dialogue_remove,
         name="situation_dialogue_remove"),
]

# Åtgärdsplan (views/plans.py)
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
