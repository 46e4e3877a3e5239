from django.urls import path

from . import views

app_name = "consultations"

urlpatterns = [
    path("", views.consultation_list, name="list"),
    path("<slug:slug>/", views.consultation_detail, name="detail"),
    path("<slug:slug>/svara/", views.answer, name="answer"),
    path("<slug:slug>/svar/", views.answers_public, name="answers"),
    path("<slug:slug>/svar.csv", views.answers_csv, name="answers_csv"),
    path("<slug:slug>/svar.json", views.answers_json, name="answers_json"),
    path("<slug:slug>/svar/<int:pk>/bilaga/", views.answer_attachment, name="answer_attachment"),
    path("<slug:slug>/sammanstallning/", views.compilation_print, name="compilation"),
    path("<slug:slug>/dokument/", views.document, name="document"),
]
