"""Loupe's domain and services; no widget or charting toolkit is imported here."""
