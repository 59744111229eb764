"""Reviews capability: product reviews written by verified buyers."""
