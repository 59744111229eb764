"""Shipping capability: rate tables, quotes and shipments."""
