from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PictureConfig(AppConfig):
    name = "samverkan.picture"
    label = "picture"
    verbose_name = _("Local picture")
