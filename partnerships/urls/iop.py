from django.urls import path

from ..views import iop

app_name = "partnerships"

urlpatterns = [
    path("", iop.partnership_list, name="list"),
    path("<slug:slug>/", iop.partnership_detail, name="detail"),
    path("<slug:slug>/overenskommelse/", iop.agreement_document, name="document"),
]
