"""Payments capability: charges and refunds through a (fake) card gateway."""
