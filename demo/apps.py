from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data: `python manage.py seed_demo` loads demo/data/*.json through the apps' services.

    Last in INSTALLED_APPS: it reads every app and no app reads it.
    """

    name = "demo"
