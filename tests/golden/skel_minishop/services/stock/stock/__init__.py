# strangler: moved from minishop/stock/__init__.py (module minishop.stock)
"""Stock: how many of each product are on hand."""
