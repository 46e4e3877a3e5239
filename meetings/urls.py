from django.urls import path

from . import feeds, views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("kalender.ics", views.meeting_feed, name="feed"),
    path("flode.rss", feeds.MeetingsFeed(), name="rss"),
    path("flode.atom", feeds.MeetingsAtomFeed(), name="atom"),
    path("anmalan/<str:token>/", views.registration_manage, name="manage"),
    path("anmalan/<str:token>/avboka/", views.registration_cancel, name="cancel"),
    path("anmalan/<str:token>/kalender.ics", views.registration_ics, name="manage_ics"),
    path("<slug:slug>/", views.meeting_detail, name="detail"),
    path("<slug:slug>/anmalan/", views.registration_create, name="register"),
    path("<slug:slug>/anmalan/klar/", views.registration_done, name="registered"),
    path("<slug:slug>/kalender.ics", views.meeting_ics, name="ics"),
    path("<slug:slug>/delta/<str:token>/", views.registration_join, name="join"),
    path("<slug:slug>/incheckning/", views.meeting_checkin, name="checkin"),
    path("<slug:slug>/utvardering/<str:token>/", views.meeting_evaluate, name="evaluate"),
    path("<slug:slug>/delta/<str:token>/kalender.ics", views.registration_join_ics, name="join_ics"),
    path("<slug:slug>/dokument/<int:pk>/", views.meeting_document, name="document"),
]
