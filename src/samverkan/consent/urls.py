"""The consent namespace's organisation-wide pages (register, legal bases). A case's
consent and disclosure pages: casepages.urls.consent_urlpatterns (samverkan/urls.py)."""

from django.urls import path

from samverkan.consent import views

app_name = "consent"

urlpatterns = [
    path("utlamnanden/", views.disclosure_register, name="register"),
    path("utlamnanden/export.csv", views.disclosure_register_export, name="register_export"),
    path("rattsliga-grunder/", views.legal_basis_list, name="legal_basis_list"),
    path("rattsliga-grunder/ny/", views.legal_basis_edit, name="legal_basis_new"),
    path("rattsliga-grunder/<int:pk>/", views.legal_basis_edit, name="legal_basis_edit"),
    path("rattsliga-grunder/<int:pk>/status/", views.legal_basis_active, name="legal_basis_active"),
]
