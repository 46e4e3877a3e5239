from django.urls import path

from . import mandate_views, views

app_name = "organisations"

# Fixed paths come before <slug>; services.RESERVED_SLUGS keeps slugs from shadowing them.
urlpatterns = [
    path("", views.directory, name="directory"),
    path("anmal-intresse/", views.interest, name="interest"),
    path("anmal-intresse/tack/", views.thanks, name="thanks"),
    path("mandat/<int:pk>/underlag/", mandate_views.mandate_evidence, name="mandate_evidence"),
    path("mandat/<int:pk>/aterkalla/", mandate_views.withdraw_mandate, name="mandate_withdraw"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/redigera/", views.edit, name="edit"),
    path("<slug:slug>/mandat/", mandate_views.request_mandate, name="mandate_request"),
]
