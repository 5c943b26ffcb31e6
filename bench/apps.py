from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Benchmarks and the data generator; an app only so `fazhi gen-data` is a management command."""

    name = "bench"
    label = "bench"
