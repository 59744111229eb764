"""Accounts capability: users, addresses and header-based authentication."""
