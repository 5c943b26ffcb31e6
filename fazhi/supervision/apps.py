from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "fazhi.supervision"
    label = "supervision"
    verbose_name = _("Supervision")

    def ready(self) -> None:
        from . import rounds  # noqa: F401 -- connects the receiver that opens rounds when a plan is published
