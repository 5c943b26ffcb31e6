"""Signals other apps listen to, so plans need not know about them."""

from django.dispatch import Signal

# Sent inside the publishing transaction, after the assignments exist (supervision opens the reporting rounds).
plan_published = Signal()  # kwargs: plan
