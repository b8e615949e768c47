from django.apps import AppConfig


class CaseAccessConfig(AppConfig):
    """No models: installed for its template tag ({% case_may %})."""

    name = "samverkan.caseaccess"
    label = "caseaccess"
