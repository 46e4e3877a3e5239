from django.urls import path

from . import views
from .search import views as search_views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("sok/", search_views.search, name="search"),
    path("personuppgifter/", views.privacy, name="privacy"),
    path("handlingar/", views.records, name="records"),
    path("region.css", views.region_css, name="region_css"),
    path("region/logo", views.region_logo, name="region_logo"),
]
