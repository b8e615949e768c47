from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "samverkan.cases"
    label = "cases"

    def ready(self) -> None:
        from samverkan.cases import navigation  # deferred: AppConfig.ready: the app registry is ready only here

        navigation.register(order=80, label=_("Closure"), url_name="cases:closure")
