"""The warm grading server: keeps a user's warm workers alive between `grade` commands (Linux only)."""
