"""A throw-away PostgreSQL cluster on a Unix socket in a temporary folder, for tests and benchmarks.

:func:`start` runs Debian's ``initdb`` and ``pg_ctl`` (``/usr/lib/postgresql/*/bin``
or ``$PATH``) into a fresh folder, listens on a socket there and nowhere else, and
returns a :class:`Cluster` whose ``dsn`` is a ``postgresql://`` URL; ``stop`` shuts
the server down and removes the folder.  PostgreSQL refuses to run as root, so under
root the cluster belongs to the unprivileged user ``nobody`` and every server command
runs through ``setpriv`` (util-linux) as that user; the superuser inside the cluster
is ``deniable``, trusted on the socket, which only its folder can reach.

This file imports nothing from ``deniable`` or ``bench``: tests load it by path.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

#: The account a cluster started by root runs as.
UNPRIVILEGED = "nobody"


class ClusterError(RuntimeError):
    """No server could be started here; the message says why."""


@dataclass(frozen=True, slots=True)
class Cluster:
    """A running throw-away server."""

    folder: Path
    dsn: str
    bin_dir: Path

    def stop(self) -> None:
        """Stop the server (fast shutdown) and delete its folder."""
        subprocess.run(
            [
                *_as_owner(),
                str(self.bin_dir / "pg_ctl"),
                "stop",
                "-D",
                str(self.folder / "data"),
                "-m",
                "fast",
                "-w",
                "-s",
            ],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.folder, ignore_errors=True)


def find_bin_dir() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl``, newest Debian version first."""
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(candidate) / "initdb").exists():
            return Path(candidate)
    found = shutil.which("initdb")
    return Path(found).resolve().parent if found else None


def _as_owner() -> list[str]:
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        raise ClusterError("running as root and setpriv (util-linux) is missing")
    import pwd

    entry = pwd.getpwnam(UNPRIVILEGED)
    return ["setpriv", f"--reuid={entry.pw_uid}", f"--regid={entry.pw_gid}", "--clear-groups"]


def start(*, parent: str | None = None) -> Cluster:
    """Create and start a cluster in a new folder under ``parent`` (default: the temp dir).

    Raises:
        ClusterError: PostgreSQL's programs are missing or the server does not start.
    """
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise ClusterError("PostgreSQL's initdb is not installed (apt-get install postgresql)")
    folder = Path(tempfile.mkdtemp(prefix="deniable-pg-", dir=parent))
    try:
        if os.geteuid() == 0:
            import pwd

            entry = pwd.getpwnam(UNPRIVILEGED)
            os.chown(folder, entry.pw_uid, entry.pw_gid)
        owner = _as_owner()
        data = folder / "data"
        _call(
            [
                *owner,
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-U",
                "deniable",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            ],
        )
        # No TCP at all: only the socket in the cluster's own folder.
        options = (
            f"-c listen_addresses='' -k {folder} -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c shared_buffers=128MB -c max_connections=40"
        )
        _call(
            [
                *owner,
                str(bin_dir / "pg_ctl"),
                "start",
                "-D",
                str(data),
                "-w",
                "-s",
                "-l",
                str(folder / "server.log"),
                "-o",
                options,
            ],
        )
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    host = urllib.parse.quote(str(folder), safe="")
    return Cluster(folder, f"postgresql://deniable@/postgres?host={host}", bin_dir)


def _call(command: list[str]) -> None:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise ClusterError(f"{Path(command[0]).name} failed: {error}") from error
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        raise ClusterError(f"{command[0]} failed: {lines[-1] if lines else done.returncode}")
