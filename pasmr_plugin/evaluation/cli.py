"""``pasmr-eval``: lm-eval's command line with the PASMR tasks added (implemented in issue 4)."""


def main() -> int:
    raise SystemExit("pasmr-eval is not implemented yet")
