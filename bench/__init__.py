"""Benchmarks: each ``bench_<area>.py`` runs its baseline in the same run and prints the ratio."""
