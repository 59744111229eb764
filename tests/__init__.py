"""The test suite of strangler; a package so helper modules import as `tests.<name>`."""
