from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("<int:region_pk>/", views.year_choice, name="years"),
    path("<int:region_pk>/<int:year>/", views.preview, name="preview"),
    path("<int:region_pk>/<int:year>/sources/<int:number>/", views.sources, name="sources"),
    path("<int:region_pk>/<int:year>/docx/", views.download, name="docx"),
]
