"""Reporting capability: read models and SQL reports over the whole shop."""
