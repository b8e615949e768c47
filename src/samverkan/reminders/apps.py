from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "samverkan.reminders"
    label = "reminders"
    verbose_name = _("Reminders")

    def ready(self) -> None:
        from samverkan.cases import navigation  # deferred: AppConfig.ready: the app registry is ready only here

        navigation.register(order=85, label=_("Reminders"), url_name="reminders:case")

        # Reminders follow a case's changes at once: the services of the lower apps call
        # cases.changes.case_changed in their transaction (reminders sits above them).
        from samverkan.cases import changes  # deferred: as above
        from samverkan.reminders.services import refresh_for_case  # deferred: models load after ready

        changes.on_case_changed("reminders", refresh_for_case)
