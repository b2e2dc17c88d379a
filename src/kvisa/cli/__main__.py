"""``python -m kvisa.cli``: the same command as ``kvisa``."""

from kvisa.cli import main

main()
