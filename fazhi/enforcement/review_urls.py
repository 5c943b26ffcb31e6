"""URL patterns of the case file review (案卷评查) and transfer (两法衔接) pages, included in the
enforcement namespace by fazhi/enforcement/urls.py."""

from django.urls import path

from . import review_views

urlpatterns = [
    path("reviews/", review_views.review_list, name="review_list"),
    path("reviews/new/", review_views.review_new, name="review_new"),
    path(
        "reviews/checklists/standard/",
        review_views.review_checklist_standard,
        name="review_checklist_standard",
    ),
    path("reviews/<int:pk>/", review_views.review_detail, name="review_detail"),
    path("reviews/<int:pk>/draw/", review_views.review_draw, name="review_draw"),
    path("reviews/<int:pk>/files/<int:sample_pk>/", review_views.review_score, name="review_score"),
    path("reviews/<int:pk>/publish/", review_views.review_publish, name="review_publish"),
    path("reviews/results/", review_views.review_results, name="review_results"),
    path("reviews/results/<int:pk>/", review_views.review_result, name="review_result"),
    path("transfers/", review_views.transfer_list, name="transfer_list"),
    path("cases/<int:case_pk>/transfer/", review_views.transfer_new, name="transfer_new"),
    path("transfers/<int:pk>/", review_views.transfer_detail, name="transfer_detail"),
    path("transfers/<int:pk>/reply/", review_views.transfer_reply, name="transfer_reply"),
    path("transfers/<int:pk>/outcome/", review_views.transfer_outcome, name="transfer_outcome"),
]
