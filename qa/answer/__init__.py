"""Answering a question: how it is understood, which reports it is asked of, the passages
retrieved, and the ways of answering it (the reports' structure, grades, the span reader)."""
