"""Canalyse: compare social networks' reach, cost and staff time from their own analytics exports."""

import logging

__version__ = "0.1.0"

# A library configures no logging: its records go where the program running it says
# (`canalyse.logs.configure`), never to Python's last-resort output.
logging.getLogger(__name__).addHandler(logging.NullHandler())
