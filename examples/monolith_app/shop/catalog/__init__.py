"""Catalog capability: products, categories and search."""
