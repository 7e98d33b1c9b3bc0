"""Turning exported files into facts."""
