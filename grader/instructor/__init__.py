"""The instructor's tools: validation, sample submissions, scaffolding, the student release and the autograder.

``validate`` (`grade validate`: is every exercise and quiz sound), ``samples`` (the sample submissions, written
whole or as a patch of the reference), ``scaffold`` (`grade new`), ``release`` (`grade release`: the student
version) and ``autograder`` (`grade autograder`: the Gradescope zip).

Nothing here is imported by a student's `grade exNN`, except ``samples`` where the instructor's ``solutions/`` is
present and a ``# patch: reference`` sample is graded.
"""
