from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.follow_toggle, name="follow"),
    path("<int:pk>/sluta/", views.unfollow_by_id, name="unfollow"),
    path("installningar/", views.preference, name="preference"),
    path("notiser/last/", views.mark_read, name="read"),
    path("avregistrera/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
