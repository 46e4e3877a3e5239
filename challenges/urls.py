from django.urls import path

from . import views

app_name = "challenges"

urlpatterns = [
    path("", views.challenge_list, name="list"),
    path("lyft-en-utmaning/", views.challenge_raise, name="raise"),
    path("e-postinstallningar/", views.email_preference, name="email_preference"),
    path("<slug:slug>/", views.challenge_detail, name="detail"),
    path("<slug:slug>/delta/", views.participation_join, name="join"),
    path("<slug:slug>/lamna/<int:pk>/", views.participation_leave, name="leave"),
    path("<slug:slug>/dokument/<int:pk>/", views.document, name="document"),
]
