"""Cart capability: one shopping cart per user and its line items."""
