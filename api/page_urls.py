"""The open data page (/oppna-data/): what the region publishes, the licence and the API reference."""

from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [path("", views.documentation, name="documentation")]
