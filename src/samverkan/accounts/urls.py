from django.urls import path

from samverkan.accounts import views

app_name = "accounts"

urlpatterns = [
    path("logga-in/", views.login_view, name="login"),
    path("logga-ut/", views.logout_view, name="logout"),
    path("logga-ut-overallt/", views.logout_everywhere_view, name="logout_everywhere"),
    path("tvastegsverifiering/", views.verify_view, name="verify"),
    path("tvastegsverifiering/registrera/", views.enrol_view, name="enrol"),
    path("bekrafta/", views.reauth_view, name="reauth"),
    path("mitt-konto/", views.account_view, name="account"),
    path("mitt-konto/reservkoder/", views.recovery_codes_view, name="recovery_codes"),
    path("valj-losenord/<uidb64>/<token>/", views.password_set_view, name="password_set"),
    path("oidc/authenticate/", views.oidc_authenticate, name="oidc_authenticate"),
    path("oidc/callback/", views.oidc_callback, name="oidc_callback"),
    # Organisation administration of staff accounts
    path("anvandare/", views.user_list_view, name="user_list"),
    path("anvandare/ny/", views.user_create_view, name="user_create"),
    path("anvandare/<int:user_id>/", views.user_detail_view, name="user_detail"),
    path("anvandare/<int:user_id>/aktiv/", views.user_active_view, name="user_active"),
    path(
        "anvandare/<int:user_id>/nollstall-tvasteg/",
        views.user_reset_2fa_view,
        name="user_reset_2fa",
    ),
    path(
        "anvandare/<int:user_id>/losenordslank/",
        views.user_password_link_view,
        name="user_password_link",
    ),
]
