"""What one Python file says on its own, read with `ast` and never imported: one walk of each parsed
file (`walk`) records its statement facts (`statements`: symbols, imports, vocabulary), the uses of
its import-bound names (`bindings`) and whatever an extractor hooked into it finds (the framework
scanner); then, across files, imports resolved to modules and uses resolved to the symbols they reach.
"""
