from django.apps import AppConfig


class ActionGroupsConfig(AppConfig):
    name = "samverkan.actiongroups"
    label = "actiongroups"
    verbose_name = "Action groups"
