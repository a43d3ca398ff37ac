"""Benchmark of Ratusha against bare Pelican and Hugo: corpus generator and runner."""
