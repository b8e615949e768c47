"""Mounted under /arenden/<uuid:public_id>/plan/ (the case's public id comes first)."""

from django.urls import path

from samverkan.plans import views

app_name = "plans"

urlpatterns = [
    path("", views.plan, name="plan"),
    path("mal/ny/", views.goal_new, name="goal_new"),
    path("mal/<uuid:goal_id>/", views.goal_edit, name="goal_edit"),
    path("ataganden/ny/", views.commitment_new, name="commitment_new"),
    path("ataganden/<uuid:commitment_id>/", views.commitment_edit, name="commitment_edit"),
    path("mal-for-planen/", views.summary_edit, name="summary_edit"),
    path("faststall/", views.establish, name="establish"),
    path("versioner/<int:number>/", views.version_detail, name="version"),
    path("plan.pdf", views.pdf, name="pdf"),
]
