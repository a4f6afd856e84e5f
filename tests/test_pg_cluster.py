"""The throw-away PostgreSQL cluster of the tests and the benchmark (bench/pg_cluster.py)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import psycopg
import pytest

PATH = Path(__file__).resolve().parents[1] / "bench" / "pg_cluster.py"


def _module() -> Any:
    spec = importlib.util.spec_from_file_location("_deniable_pg_cluster_test", PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_a_cluster_starts_on_its_own_socket_and_leaves_nothing(postgres_dsn: str) -> None:
    clusters = _module()
    cluster = clusters.start()
    try:
        assert str(cluster.folder) in cluster.dsn.replace("%2F", "/")
        with psycopg.connect(cluster.dsn) as con:
            encoding, tcp = con.execute(
                "SELECT current_setting('server_encoding'), current_setting('listen_addresses')"
            ).fetchone()
        assert (encoding, tcp) == ("UTF8", "")
    finally:
        cluster.stop()
    assert not cluster.folder.exists()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(cluster.dsn, connect_timeout=2)


def test_no_postgresql_is_a_clear_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    clusters = _module()
    monkeypatch.setattr(clusters, "find_bin_dir", lambda: None)
    with pytest.raises(clusters.ClusterError, match=r"initdb is not installed \(apt-get"):
        clusters.start()
