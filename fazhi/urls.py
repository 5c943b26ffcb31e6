from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", include("fazhi.portal.urls")),
    path("accounts/", include("fazhi.orgs.account_urls")),
    path("home/", views.home, name="home"),
    path("orgs/", include("fazhi.orgs.urls")),
    path("plans/", include("fazhi.plans.urls")),
    path("supervision/", include("fazhi.supervision.urls")),
    path("enforcement/api/", include("fazhi.enforcement.api_urls")),
    path("enforcement/", include("fazhi.enforcement.urls")),
    path("reports/", include("fazhi.reports.urls")),
    path("inbox/", include("fazhi.notifications.urls")),
    path("audit/", include("fazhi.audit.urls")),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
]
