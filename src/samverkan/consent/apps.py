from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsentConfig(AppConfig):
    name = "samverkan.consent"
    label = "consent"

    def ready(self) -> None:
        from samverkan.cases import navigation  # deferred: AppConfig.ready: the app registry is ready only here

        navigation.register(order=40, label=_("Consent"), url_name="consent:list")
        # Guardians give consent for a minor; the page is the lead team's (casepages).
        navigation.register(order=45, label=_("Guardians"), url_name="people:guardians",
                            shown=lambda access: access.is_lead_team)
        navigation.register(order=50, label=_("Disclosures"), url_name="consent:disclosures")
