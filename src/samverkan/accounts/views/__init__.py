"""Login, two-factor, re-authentication, own account, and staff administration.

One module per subject (``accounts/urls.py`` imports them): ``login`` (password login,
logout, re-authentication, the lockout page), ``two_factor`` (the code step, enrolment,
the own account page, recovery codes), ``password`` (the one-time set-password link),
``oidc`` (single sign-on, when configured) and ``staff`` (staff administration);
``common`` holds the helpers they share.
"""
