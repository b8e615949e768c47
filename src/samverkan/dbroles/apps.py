from django.apps import AppConfig


class DbRolesConfig(AppConfig):
    name = "samverkan.dbroles"
    label = "dbroles"
    verbose_name = "Database roles"

    def ready(self) -> None:
        from samverkan.dbroles import checks  # noqa: F401
