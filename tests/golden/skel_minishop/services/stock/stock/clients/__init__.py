"""Generated clients of what this service still needs."""
