from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Operations: the demo region, backup and restore."""

    name = "fazhi.ops"
    label = "ops"
    verbose_name = _("Operations")
