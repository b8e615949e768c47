from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "samverkan.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from samverkan.accounts import checks, signals  # noqa: F401  # deferred: receivers use models; register when ready
