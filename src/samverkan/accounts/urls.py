from django.urls import path

from samverkan.accounts.views import login, oidc, password, staff, two_factor

app_name = "accounts"

urlpatterns = [
    path("logga-in/", login.login_view, name="login"),
    path("logga-ut/", login.logout_view, name="logout"),
    path("logga-ut-overallt/", login.logout_everywhere_view, name="logout_everywhere"),
    path("tvastegsverifiering/", two_factor.verify_view, name="verify"),
    path("tvastegsverifiering/registrera/", two_factor.enrol_view, name="enrol"),
    path("bekrafta/", login.reauth_view, name="reauth"),
    path("mitt-konto/", two_factor.account_view, name="account"),
    path("mitt-konto/reservkoder/", two_factor.recovery_codes_view, name="recovery_codes"),
    path("valj-losenord/<uidb64>/<token>/", password.password_set_view, name="password_set"),
    path("oidc/authenticate/", oidc.oidc_authenticate, name="oidc_authenticate"),
    path("oidc/callback/", oidc.oidc_callback, name="oidc_callback"),
    # Organisation administration of staff accounts
    path("anvandare/", staff.user_list_view, name="user_list"),
    path("anvandare/ny/", staff.user_create_view, name="user_create"),
    path("anvandare/<int:user_id>/", staff.user_detail_view, name="user_detail"),
    path("anvandare/<int:user_id>/aktiv/", staff.user_active_view, name="user_active"),
    path(
        "anvandare/<int:user_id>/nollstall-tvasteg/",
        staff.user_reset_2fa_view,
        name="user_reset_2fa",
    ),
    path(
        "anvandare/<int:user_id>/losenordslank/",
        staff.user_password_link_view,
        name="user_password_link",
    ),
]
