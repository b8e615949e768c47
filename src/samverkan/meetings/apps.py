from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "samverkan.meetings"
    label = "meetings"

    def ready(self) -> None:
        from samverkan.cases import navigation  # deferred: AppConfig.ready: the app registry is ready only here

        navigation.register(order=40, label=_("Meetings"), url_name="meetings:list")
