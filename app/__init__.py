"""Loupe's domain and services. Nothing here imports QtWidgets or pyqtgraph."""
