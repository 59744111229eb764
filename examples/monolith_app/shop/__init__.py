"""A small shop backend written as one Flask monolith.

The package is deliberately organised by business capability (``accounts``,
``catalog``, ``inventory``, ``cart``, ``orders``, ``payments``, ``shipping``,
``notifications``, ``reviews``, ``reporting``) on top of a shared kernel
(``shop.core``) and one over-grown helper module (``shop.helpers``).  It is the
example the ``strangler`` toolkit analyses and plans to split into services.
"""

__version__ = "1.4.0"
