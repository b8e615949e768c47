from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrefasConfig(AppConfig):
    name = "samverkan.trefas"
    label = "trefas"
    verbose_name = "Trefas"

    def ready(self) -> None:
        from samverkan.trefas import navigation  # deferred: AppConfig.ready: the app registry is ready only here

        # The forum's tabs, in order (each topic's page).
        navigation.register(order=10, label=_("The list"), url_name="trefas:forum")
        navigation.register(order=20, label=_("Meetings"), url_name="trefas:meetings")
        navigation.register(order=25, label=_("Actions"), url_name="trefas:actions")
        # The forum's follow-up statistics (the followup app, counts only).
        navigation.register(order=90, label=_("Statistics"), url_name="followup:trefas")
