"""``python -m lenet_desktop`` runs the app."""

import sys

from lenet_desktop.app import main

sys.exit(main())
