"""Benchmarks for the directory, run with `python -m bench.directory_search`."""

# Bump when bench/generate.py changes the corpus, so that cached databases are rebuilt.
CORPUS_VERSION = 1
