"""`python -m trailtui` is the `trailtui` command."""

import sys

from trailtui.cli import main

sys.exit(main())
