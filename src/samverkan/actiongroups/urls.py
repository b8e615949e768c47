from django.urls import path

from samverkan.actiongroups import views

app_name = "actiongroups"

urlpatterns = [
    path("", views.group_list, name="group_list"),
    path("ny/", views.group_create, name="group_create"),
    path("<int:pk>/", views.group_detail, name="group_detail"),
    path("<int:pk>/andra/", views.group_edit, name="group_edit"),
    path("<int:pk>/status/", views.group_status, name="group_status"),
    path("<int:pk>/positioner/", views.positions_edit, name="positions_edit"),
    path("<int:pk>/lokaler/ny/", views.premises_edit, name="premises_create"),
    path("<int:pk>/lokaler/<int:premises_pk>/", views.premises_edit, name="premises_edit"),
    path("kontakter/", views.outreach_board, name="outreach_board"),
    path("kontakter/<int:pk>/", views.outreach_detail, name="outreach_detail"),
    path("kontakter/<int:pk>/status/", views.outreach_update, name="outreach_update"),
    path("kontakter/<int:pk>/logg/", views.outreach_contact, name="outreach_contact"),
    path("kontakter/<int:pk>/dokument/", views.outreach_document, name="outreach_document"),
    path(
        "kontakter/<int:pk>/dokument/<int:doc_pk>/hamta/",
        views.document_download,
        name="document_download",
    ),
]
