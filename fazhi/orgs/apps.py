from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "fazhi.orgs"
    label = "orgs"
    verbose_name = _("Regions, units and people")

    def ready(self) -> None:
        from django.db.models import fields

        # Django 6.1's new blank choice ("- Select an option -") has no Chinese translation yet; Django lets
        # an app's ready() replace it.
        fields.BLANK_CHOICE_LABEL = _("Choose…")
