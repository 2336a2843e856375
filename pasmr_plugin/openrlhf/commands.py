"""Subcommands of ``pasmr`` for this part (filled in by its implementation)."""


def register(subparsers) -> None:
    """Add this part's subcommands to ``pasmr``."""
