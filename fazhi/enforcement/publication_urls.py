"""URL patterns of the office's publication pages, to be included in the enforcement namespace:
`path("", include(...))` or `urlpatterns += publication_urls.urlpatterns` in fazhi/enforcement/urls.py."""

from django.urls import path

from . import publication_views

urlpatterns = [
    path("publications/", publication_views.pending, name="publication_pending"),
    path("publications/overdue/", publication_views.overdue, name="publication_overdue"),
    path("publications/<int:pk>/", publication_views.detail, name="publication_detail"),
    path("publications/<int:pk>/publish/", publication_views.publish, name="publication_publish"),
    path("publications/<int:pk>/withdraw/", publication_views.withdraw, name="publication_withdraw"),
]
