import sys

from shopify_simulator.cli import main

sys.exit(main())
