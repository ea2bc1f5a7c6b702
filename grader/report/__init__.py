"""Renderers of results: the rich terminal view, Gradescope JSON (and, later, JUnit and Markdown)."""
