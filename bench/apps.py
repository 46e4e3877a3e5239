from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmark's part of the portal: ``load_bench_data`` and the ``/bench/floor`` view.

    Installed only when the benchmark sets ``BENCH=true`` (bench/common.py ``production_env``);
    the portal itself never serves or lists them.
    """

    name = "bench"
    label = "bench"
    verbose_name = "Benchmark"
    default_auto_field = "django.db.models.BigAutoField"
