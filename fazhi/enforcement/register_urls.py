"""URL patterns of the register pages (执法主体, 执法人员, 权责清单, 裁量基准), included in the enforcement
namespace by fazhi/enforcement/urls.py."""

from django.urls import path

from . import register_views

urlpatterns = [
    path("registers/", register_views.bodies, name="register_bodies"),
    path("registers/bodies/<int:pk>/", register_views.body, name="register_body"),
    path("registers/officers/", register_views.officers, name="register_officers"),
    path("registers/officers/<int:pk>/", register_views.officer, name="register_officer"),
    path("registers/powers/", register_views.powers, name="register_powers"),
    path("registers/powers/<int:pk>/", register_views.power, name="register_power"),
    path("registers/standards/", register_views.standards, name="register_standards"),
    path("registers/import/", register_views.upload, name="register_import"),
    path("registers/export/<str:register>/", register_views.export, name="register_export"),
]
