"""The project's URLs with the enforcement API under "enforcement/api/", as the lead will include it."""

from django.urls import include, path

from fazhi.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("enforcement/api/", include("fazhi.enforcement.api_urls")),
    *project_urlpatterns,
]
