"""The interactive shell: prompt_toolkit for input, Rich for output."""
