"""HTTP routes, one module per framework or routing style: Flask and FastAPI (what both declare in
`apps`, each one's own calls in `flask` and `fastapi`, joined across files by `app_resolution`),
Flask-AppBuilder, Django URL configurations and path converters, Django REST framework routers, and
the templates that pull tag libraries and other templates in. Route parts the code computes at run
time are typed as such (`RuleSource`, `UnknownOwner`), marked, never guessed.
"""
