from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "samverkan.reminders"
    label = "reminders"
    verbose_name = _("Reminders")

    def ready(self) -> None:
        from samverkan.cases import navigation  # deferred: AppConfig.ready: the app registry is ready only here

        navigation.register(order=85, label=_("Reminders"), url_name="reminders:case")
