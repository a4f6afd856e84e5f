"""Sentence to facts: tokens, entities and aliases, the clause grammar, lexicons, modality."""
