"""Views of a decomposition: DOT text, SVG/PNG through Graphviz, and a self-contained HTML report.

Everything here except `rendering` (which runs the `dot` program) is a pure function from
frozen values (`Codebase`, `Decomposition`) to text, so outputs are byte-identical across runs.
"""
