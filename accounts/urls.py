from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.mypages, name="mypages"),
    path("mina-uppgifter.json", views.data_download, name="data_download"),
    path("radera-konto/", views.account_delete, name="delete"),
]
