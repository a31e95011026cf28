import sys

from detector.scan.cli import main

if __name__ == "__main__":
    sys.exit(main())
