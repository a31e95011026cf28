"""`python -m detector.scan ...`: the same command as `detector scan ...`."""

import sys

from detector.cli import main

if __name__ == "__main__":
    sys.exit(main(["scan", *sys.argv[1:]]))
