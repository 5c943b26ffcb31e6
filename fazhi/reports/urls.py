from django.urls import path

from . import analysis_views, draft_views, entry_urls, views

app_name = "reports"

urlpatterns = [
    path("analysis/", analysis_views.analyze, name="analysis"),
    path("<int:region_pk>/", views.year_choice, name="years"),
    path("<int:region_pk>/<int:year>/", views.preview, name="preview"),
    path("<int:region_pk>/<int:year>/sources/<int:number>/", views.sources, name="sources"),
    path("<int:region_pk>/<int:year>/docx/", views.download, name="docx"),
    path("<int:region_pk>/<int:year>/pdf/", views.download_pdf, name="pdf"),
    path("units/<int:unit_pk>/", views.unit_year_choice, name="unit_years"),
    path("units/<int:unit_pk>/<int:year>/", views.unit_preview, name="unit_preview"),
    path("units/<int:unit_pk>/<int:year>/sources/<int:number>/", views.unit_sources, name="unit_sources"),
    path("units/<int:unit_pk>/<int:year>/docx/", views.unit_download, name="unit_docx"),
    path("units/<int:unit_pk>/<int:year>/pdf/", views.unit_download_pdf, name="unit_pdf"),
    # The office's draft of the region's report: revisions, regeneration, publication.
    path("<int:region_pk>/<int:year>/draft/", draft_views.draft, name="draft"),
    path("<int:region_pk>/<int:year>/draft/edit/", draft_views.edit, name="draft_edit"),
    path("<int:region_pk>/<int:year>/draft/regenerate/", draft_views.regenerate, name="draft_regenerate"),
    path("<int:region_pk>/<int:year>/draft/revisions/", draft_views.revisions, name="draft_revisions"),
    path(
        "<int:region_pk>/<int:year>/draft/revisions/<int:number>/",
        draft_views.revision,
        name="draft_revision",
    ),
    path(
        "<int:region_pk>/<int:year>/draft/revisions/<int:number>/restore/",
        draft_views.restore,
        name="draft_restore",
    ),
    path("<int:region_pk>/<int:year>/draft/publish/", draft_views.publish, name="draft_publish"),
    path("<int:region_pk>/<int:year>/draft/withdraw/", draft_views.withdraw, name="draft_withdraw"),
    path("<int:region_pk>/<int:year>/draft/sources/<int:number>/", draft_views.sources, name="draft_sources"),
    path("<int:region_pk>/<int:year>/draft/docx/", draft_views.download, name="draft_docx"),
    path("<int:region_pk>/<int:year>/draft/pdf/", draft_views.download_pdf, name="draft_pdf"),
]
urlpatterns += entry_urls.urlpatterns
