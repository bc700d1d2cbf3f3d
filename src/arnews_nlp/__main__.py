"""``python -m arnews_nlp`` is the ``arnews`` command."""

import sys

from arnews_nlp.cli import main

sys.exit(main())
