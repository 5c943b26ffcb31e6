"""Signals other apps listen to, so plans need not know about them."""

from django.dispatch import Signal

# Sent inside the publishing transaction, once the assignments exist (supervision opens its rounds).
plan_published = Signal()  # kwargs: plan
