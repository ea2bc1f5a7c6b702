"""The instructor's view of a graded class: similar submissions, grade adjustments with a reason, LMS gradebooks."""
