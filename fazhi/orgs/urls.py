from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("regions/", views.region_list, name="region_list"),
    path("regions/<int:pk>/", views.region_detail, name="region_detail"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("groups/", views.group_list, name="group_list"),
    path("groups/new/", views.group_create, name="group_create"),
    path("groups/<int:pk>/", views.group_detail, name="group_detail"),
    path("groups/<int:pk>/edit/", views.group_edit, name="group_edit"),
    path("aliases/", views.alias_list, name="alias_list"),
    path("aliases/new/", views.alias_create, name="alias_create"),
    path("aliases/<int:pk>/edit/", views.alias_edit, name="alias_edit"),
    path("aliases/<int:pk>/delete/", views.alias_delete, name="alias_delete"),
    path("import/", views.directory_import, name="import"),
    path("import/template/", views.directory_import_template, name="import_template"),
    path("export/", views.directory_export, name="export"),
    path("people/", views.people_list, name="people_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/roles/", views.person_grant_role, name="person_grant_role"),
    path(
        "people/<int:pk>/roles/<int:assignment_pk>/revoke/",
        views.person_revoke_role,
        name="person_revoke_role",
    ),
    path("people/<int:pk>/password/", views.person_reset_password, name="person_reset_password"),
    path("people/<int:pk>/active/", views.person_set_active, name="person_set_active"),
]
