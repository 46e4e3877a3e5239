from django.urls import path
from django.views.generic import TemplateView

app_name = "meetings"

# Placeholder routes; replaced by the meetings feature.
urlpatterns = [
    path("", TemplateView.as_view(template_name="base.html"), name="list"),
    path("kalender.ics", TemplateView.as_view(template_name="base.html"), name="feed"),
]
