"""Civic Switchboard: a multilingual chat bot between residents and their local government."""

__version__ = "0.1.0"
