from django.urls import path
from django.views.generic import TemplateView

app_name = "organisations"

# Placeholder routes; replaced by the organisations feature.
urlpatterns = [
    path("", TemplateView.as_view(template_name="base.html"), name="directory"),
    path("anmal-intresse/", TemplateView.as_view(template_name="base.html"), name="interest"),
    path("<slug:slug>/", TemplateView.as_view(template_name="base.html"), name="detail"),
]
