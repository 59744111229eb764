"""`python -m strangler` runs the command line."""

import sys

from strangler.cli import main

sys.exit(main())
