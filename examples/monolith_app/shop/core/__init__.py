"""Shared kernel: infrastructure every capability depends on.

Nothing in here knows about a particular business capability, with the
exception of the domain signal names declared in :mod:`shop.core.events`.
"""
