from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "samverkan.people"
    label = "people"

    def ready(self) -> None:
        from samverkan.cases import navigation

        navigation.register(order=45, label=_("Guardians"), url_name="people:guardians")
