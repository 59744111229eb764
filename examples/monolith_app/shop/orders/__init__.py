"""Orders capability: checkout, order history and the order life cycle."""
