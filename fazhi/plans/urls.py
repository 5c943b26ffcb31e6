from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("import/", views.plan_import, name="plan_import"),
    path("imports/<int:pk>/", views.import_status, name="import_status"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("<int:pk>/ledger.xlsx", views.plan_ledger, name="plan_ledger"),
    path("<int:pk>/names/map/", views.name_map, name="name_map"),
    path("<int:pk>/names/ignore/", views.name_ignore, name="name_ignore"),
    path("<int:pk>/publish/", views.plan_publish, name="plan_publish"),
    path("<int:pk>/delete/", views.plan_delete, name="plan_delete"),
    path("<int:pk>/links/", views.plan_links, name="plan_links"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<int:pk>/split/", views.task_split, name="task_split"),
    path("tasks/<int:pk>/merge/", views.task_merge, name="task_merge"),
    path("tasks/<int:pk>/link/", views.task_link, name="task_link"),
]
