from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "samverkan.audit"
    label = "audit"
    verbose_name = "Audit trail"
