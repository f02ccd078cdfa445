"""`python -m ovop_data …` — see ovop_data.cli."""

import sys

from .cli import main

sys.exit(main())
