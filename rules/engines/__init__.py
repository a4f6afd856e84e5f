"""Evaluation engines behind one protocol: SQL inside SQLite (default) and pyDatalog."""
