from django.urls import path

from . import views

app_name = "organisations"

# Fixed paths come before <slug>; services.RESERVED_SLUGS keeps slugs from shadowing them.
urlpatterns = [
    path("", views.directory, name="directory"),
    path("anmal-intresse/", views.interest, name="interest"),
    path("anmal-intresse/tack/", views.thanks, name="thanks"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/redigera/", views.edit, name="edit"),
]
