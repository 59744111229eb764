"""Inventory capability: stock levels, reservations and the movement ledger."""
