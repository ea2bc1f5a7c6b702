"""Auto-grader for TensorFlow/Keras exercises and quizzes: sandboxed student code, judged outside."""

__version__ = "0.1.0"
