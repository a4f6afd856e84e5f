"""The fact model, the SQLite fact store, import, export and scoring against gold facts."""
