"""`python -m checker_sheets screen …`: see checker_sheets/cli.py."""

import sys

from .cli import main

sys.exit(main())
