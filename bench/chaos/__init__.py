"""The chaos harness: `python -m bench.chaos --help`."""
