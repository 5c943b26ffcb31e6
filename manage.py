#!/usr/bin/env python
import sys

from fazhi.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv))
