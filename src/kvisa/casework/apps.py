from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "kvisa.casework"
    label = "casework"
    default_auto_field = "django.db.models.BigAutoField"
