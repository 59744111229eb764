"""Which files make up the codebase and how they are read: discovery (the import name of every
file, what is skipped and why), decoding, the per-file facts cache and the whole-run snapshot (strict JSON
through `facts_codec`), and the pool that parses many files in forked workers. Everything here deals
with bytes on disk; nothing here knows what Python code means.
"""
