"""The rule language: a Soufflé-compatible Datalog subset, its checks, engines and explanations."""
