"""Data bundled with the package: demo responses and demo evaluation questions."""
