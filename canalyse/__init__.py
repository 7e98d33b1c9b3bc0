"""Canalyse: compare social networks' reach, cost and staff time from their own analytics exports."""

__version__ = "0.1.0"
