from django.urls import path

from samverkan.consent import views

app_name = "consent"

urlpatterns = [
    path("<uuid:public_id>/samtycken/", views.consent_list, name="list"),
    path("<uuid:public_id>/samtycken/nytt/", views.consent_record, name="record"),
    path(
        "<uuid:public_id>/samtycken/<int:consent_id>/aterkalla/",
        views.consent_withdraw,
        name="withdraw",
    ),
    path(
        "<uuid:public_id>/samtycken/<int:consent_id>/blankett/",
        views.consent_document,
        name="document",
    ),
    path("<uuid:public_id>/utlamnanden/", views.disclosure_list, name="disclosures"),
    path("<uuid:public_id>/utlamnanden/nytt/", views.disclosure_record, name="disclosure_record"),
    path("utlamnanden/", views.disclosure_register, name="register"),
    path("utlamnanden/export.csv", views.disclosure_register_export, name="register_export"),
    path("rattsliga-grunder/", views.legal_basis_list, name="legal_basis_list"),
    path("rattsliga-grunder/ny/", views.legal_basis_edit, name="legal_basis_new"),
    path("rattsliga-grunder/<int:pk>/", views.legal_basis_edit, name="legal_basis_edit"),
    path("rattsliga-grunder/<int:pk>/status/", views.legal_basis_active, name="legal_basis_active"),
]
