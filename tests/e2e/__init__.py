"""Browser tests. A package, so tests/e2e/test_teaching.py and tests/test_teaching.py can share a basename."""
