from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("personuppgifter/", views.privacy, name="privacy"),
    path("region.css", views.region_css, name="region_css"),
    path("region/logo", views.region_logo, name="region_logo"),
]
