"""Quizzes: attempts, grading, reflections."""
