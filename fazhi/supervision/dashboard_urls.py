"""URLs of the dashboards, the overdue list, exports and assessment."""

from django.urls import URLPattern, path

from . import dashboard_views as views

urlpatterns: list[URLPattern] = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/export.xlsx", views.dashboard_export, name="dashboard_export"),
    path("overdue/", views.overdue, name="overdue"),
    path("overdue/export.xlsx", views.overdue_export, name="overdue_export"),
    path("units/<int:pk>/", views.unit_dashboard, name="unit_dashboard"),
    path("units/<int:pk>/export.xlsx", views.unit_export, name="unit_export"),
    path("assessment/", views.assessment, name="assessment"),
    path("assessment/export.xlsx", views.assessment_export, name="assessment_export"),
    path("assessment/<int:pk>/adjust/", views.score_adjust, name="score_adjust"),
    path("assessment/adjustments/<int:pk>/withdraw/", views.score_withdraw, name="score_withdraw"),
]
