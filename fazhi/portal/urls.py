from django.urls import path

from . import enforcement_views, views

app_name = "portal"
urlpatterns = [
    path("", views.index, name="index"),
    path("annual-reports/", views.reports, name="reports"),
    path("annual-reports/<int:pk>/", views.report, name="report"),
    path("annual-reports/<int:pk>/docx/", views.report_docx, name="report_docx"),
    path("annual-reports/<int:pk>/pdf/", views.report_pdf, name="report_pdf"),
    path("enforcement/decisions/", enforcement_views.decisions, name="enforcement_decisions"),
    path("enforcement/decisions/<int:pk>/", enforcement_views.decision, name="enforcement_decision"),
    path("enforcement/bodies/", enforcement_views.bodies, name="enforcement_bodies"),
    path("enforcement/bodies/<int:pk>/", enforcement_views.body, name="enforcement_body"),
    path("enforcement/procedures/", enforcement_views.procedures, name="enforcement_procedures"),
    path("enforcement/inspections/", enforcement_views.inspections, name="enforcement_inspections"),
]
