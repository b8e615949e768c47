from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "samverkan.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from samverkan.audit import checks  # noqa: F401  # deferred: checks register when the app is ready
