from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "samverkan.plans"
    label = "plans"

    def ready(self) -> None:
        from samverkan.cases import navigation  # deferred: AppConfig.ready: the app registry is ready only here

        navigation.register(order=30, label=_("Action plan"), url_name="plans:plan")
