"""File formats: pure parse/write functions, no Qt, no SQL."""
