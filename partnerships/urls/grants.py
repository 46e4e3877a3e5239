from django.urls import path

from ..views import apply, public

app_name = "grants"

urlpatterns = [
    path("", public.call_list, name="list"),
    path("beviljade/", public.grant_list, name="grants"),
    path("ansokan/<int:pk>/rapport/", apply.report, name="report"),
    path("ansokan/<int:pk>/bilagor/<int:attachment>/", apply.attachment, name="attachment"),
    path("<slug:slug>/", public.call_detail, name="call"),
    path("<slug:slug>/ansok/", apply.apply, name="apply"),
]
