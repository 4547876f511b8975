"""Scoring: measures, ranking with stated tie rules, judging, brackets, points and prizes."""
