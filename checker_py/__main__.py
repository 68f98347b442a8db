"""`python -m checker_py check …`: see checker_py/_cli.py."""

import sys

from ._cli import main

sys.exit(main())
