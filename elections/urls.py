from django.urls import path

from . import views

app_name = "elections"

urlpatterns = [
    path("", views.round_list, name="list"),
    path("kandidat/<str:token>/", views.candidate_answer, name="candidate"),
    path("<slug:slug>/", views.round_detail, name="detail"),
    path("<slug:slug>/nominera/", views.nominate, name="nominate"),
    path("<slug:slug>/rosta/<int:organisation_id>/", views.vote, name="vote"),
]
