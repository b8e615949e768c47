from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JournalConfig(AppConfig):
    name = "samverkan.journal"
    label = "journal"

    def ready(self) -> None:
        from samverkan.cases import navigation  # deferred: AppConfig.ready: the app registry is ready only here

        navigation.register(order=20, label=_("Journal notes"), url_name="journal:notes")
