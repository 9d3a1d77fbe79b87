"""Benchmarks: run with ``make bench`` (``python -m tests.benchmarks``).

Each ``bench_*.py`` module here defines ``main(quick: bool = False) -> None``
that prints one table. They measure; they do not assert timings (tests assert
behaviour). ``quick`` shrinks sizes so the test suite can check every
benchmark still runs.
"""
