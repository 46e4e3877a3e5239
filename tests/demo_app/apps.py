from django.apps import AppConfig


class DemoAppConfig(AppConfig):
    name = "tests.demo_app"
    label = "demo_app"
    verbose_name = "Demo app"
