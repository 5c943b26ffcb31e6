"""The enforcement JSON API; the project's urls.py includes these under "enforcement/api/"."""

from django.urls import path

from . import api

app_name = "enforcement_api"
urlpatterns = [
    path("cases/", api.cases, name="cases"),
    path("cases/<int:pk>/", api.case, name="case"),
    path("openapi.json", api.openapi, name="openapi"),
]
