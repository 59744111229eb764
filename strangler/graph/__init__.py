"""From facts to coupling: the signals and their weights, the weighted directed graph of modules that
every later stage reads, and the `strangler analyze` summary and document (cycles, hubs, edges).
"""
