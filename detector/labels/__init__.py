"""Moderator decisions: validated (decisions.py), stored (store.py), imported from files
(importing.py) and turned into training rows (training.py)."""
