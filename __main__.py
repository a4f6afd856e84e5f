"""``python -m deniable``: the same entry point as the ``deniable`` command."""

from deniable.cli import main

raise SystemExit(main())
