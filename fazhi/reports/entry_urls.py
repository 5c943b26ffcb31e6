"""URLs of the entered-values pages, relative to the reports app (included by fazhi/reports/urls.py)."""

from django.urls import path

from . import entry_views

urlpatterns = [
    path("entries/<int:year>/", entry_views.entry_list, name="entries"),
    path("entries/<int:year>/<slug:code>/", entry_views.entry, name="entry"),
    path("entries/evidence/<int:pk>/", entry_views.evidence_file, name="entry_evidence"),
    path("entries/evidence/<int:pk>/delete/", entry_views.evidence_delete, name="entry_evidence_delete"),
]
