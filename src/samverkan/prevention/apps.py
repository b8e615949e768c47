from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PreventionConfig(AppConfig):
    name = "samverkan.prevention"
    label = "prevention"
    verbose_name = _("Crime prevention (lag 2023:196)")
