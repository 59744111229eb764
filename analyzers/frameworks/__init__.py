"""Framework facts: the per-file scanner (`scanning`) that rides the one walk of each parsed file and
calls the web and data extractors, its per-file value (`file_facts.FrameworkFacts`), and the
cross-file join (`joining`) that turns those raw findings into routes, tables, table accesses and
Django's dynamic loading (`get_model`, dotted strings) as import edges.
"""
