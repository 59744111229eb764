"""Views of a decomposition: DOT text, SVG/PNG through Graphviz, Mermaid text, and a self-contained
interactive HTML report.

Everything here except `rendering` (which runs the `dot` program) and `visjs` (which reads the graph
library's file from the installed `pyvis` package) is a pure function from frozen values
(`Codebase`, `Decomposition`, `ExtractionPlan`) to text, so outputs are byte-identical across runs.
"""
