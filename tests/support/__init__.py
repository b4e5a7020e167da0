"""Test-image generators shared by the tests, the benchmarks and the tools (not shipped)."""
