from django.apps import AppConfig


class IssuanceConfig(AppConfig):
    name = "kvisa.issuance"
    label = "issuance"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Register the issuers an approval calls, by the kind the registry names."""
        from kvisa.casework.issuers import register
        from kvisa.issuance.card import card_issue
        from kvisa.issuance.visa import visa_issue

        register("visa", visa_issue)
        register("card", card_issue)
