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
        navigation.register(order=30, label=_("Shares"), url_name="trefas:shares")
        navigation.register(order=60, label=_("Groups"), url_name="trefas:groups")
        navigation.register(order=40, label=_("Incidents"), url_name="trefas:incidents")
        navigation.register(order=50, label=_("Releases"), url_name="trefas:releases")
