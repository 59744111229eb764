"""Generated clients: one module per extracted service."""
