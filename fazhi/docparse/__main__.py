"""``python -m fazhi.docparse FILE [--year YYYY] [--json]``."""

import sys

from fazhi.docparse.cli import main

sys.exit(main(sys.argv[1:]))
