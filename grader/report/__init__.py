"""Renderers of results: terminal (rich), Gradescope JSON, JUnit, Markdown, the HTML class report and student pages."""
