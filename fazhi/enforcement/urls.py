from django.urls import path

from . import case_import_views, publication_urls, record_views, register_urls, review_urls, views

app_name = "enforcement"
urlpatterns = [
    path("cases/", views.case_list, name="case_list"),
    path("cases/new/", views.case_open, name="case_open"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/step/", views.case_step, name="case_step"),
    path("cases/<int:pk>/evidence/<str:sha256>/", views.case_evidence_file, name="case_evidence"),
    path("cases/<int:pk>/record/", record_views.case_bundle, name="case_bundle"),
    path("cases/import/", case_import_views.case_import_upload, name="case_import"),
    path("cases/import/template.xlsx", case_import_views.case_import_template, name="case_import_template"),
    path("cases/import/<int:pk>/", case_import_views.case_import_status, name="case_import_status"),
]
# Case file reviews (案卷评查) and transfers to the police (两法衔接).
urlpatterns += review_urls.urlpatterns
# Publishing decisions on the portal (公示).
urlpatterns += publication_urls.urlpatterns
# The registers: bodies, officers, powers and discretion standards, their import and export.
urlpatterns += register_urls.urlpatterns
