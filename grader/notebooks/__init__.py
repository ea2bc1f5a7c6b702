"""Student notebooks: generated (``build``), found in the kernel (``read``), checked from inside (``jupyter``).

A notebook's last cell runs ``from grader.notebooks import check, hint``: those two are imported here, and nothing
heavier (``build`` needs nbformat and is imported by `grade notebooks` only).  Reading the answer cells of a notebook
is ``grader.submission``'s job, as for any other submitted file.
"""

from grader.notebooks.jupyter import check, hint

__all__ = ["check", "hint"]
