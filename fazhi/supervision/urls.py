from django.urls import path

from . import chasing_urls, dashboard_urls, views

app_name = "supervision"
urlpatterns = [
    path("my/", views.my_tasks, name="my_tasks"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/save/", views.report_save, name="report_save"),
    path("reports/<int:pk>/step/", views.report_step, name="report_step"),
    path("reports/<int:pk>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence_file"),
    path("evidence/<int:pk>/delete/", views.evidence_delete, name="evidence_delete"),
    path("review/", views.review_queue, name="review_queue"),
    path("plans/<int:pk>/rounds/", views.plan_rounds, name="plan_rounds"),
    *chasing_urls.urlpatterns,
    *dashboard_urls.urlpatterns,
]
