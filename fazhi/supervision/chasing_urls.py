"""URLs of chasing: supervision notices (督办单) and monthly circulars (通报)."""

from django.urls import URLPattern, path

from . import chasing_views

urlpatterns: list[URLPattern] = [
    path("notices/", chasing_views.notice_list, name="notice_list"),
    path("notices/issue/", chasing_views.notice_issue, name="notice_issue"),
    path("notices/<int:pk>/docx/", chasing_views.notice_docx, name="notice_docx"),
    path("circulars/docx/", chasing_views.circular_docx, name="circular_docx"),
]
