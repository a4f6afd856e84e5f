"""The issues' performance targets, judged on one run's measurements: one ✓/✗ line each.

Speed targets are judged on CPU time (other load on the shared machine distorts it
less than wall time); every line prints both ratios.  A ratio is "how many times
faster": the other system's time over deniable's, so above 1 means deniable wins.
``run.py`` passes its ``WorkloadReport`` values; this module only reads them.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Sequence
from typing import Any

SQL, DUCKDB = "deniable-sql", "deniable-duckdb"
#: Issue 11: deniable-duckdb's speed-up over clingo per workload.
DUCKDB_OVER_CLINGO = {"tc": 2.5, "sg": 3.3, "inv-20k": 6.0}
#: deniable-sql over pyDatalog wherever pyDatalog finishes (and no slower than clingo).
SQL_OVER_PYDATALOG = 20.0
#: deniable-duckdb must be ahead of deniable-sql on workloads with more result rows.
LARGE_RESULT_ROWS = 100_000
INV_1M_SECONDS = 30.0
MEMORY_LIMIT_KB = 2 * 1024 * 1024
#: The 10-million-fact base may take more on this 24 GB machine.
INV_10M_MEMORY_LIMIT_KB = 8 * 1024 * 1024
_ALIASES = {"tc": ("tc", "tc-20000"), "inv-20k": ("inv-20k", "inv-20000")}
_INV_10M = ("inv-10m", "inv-10000000")


def targets(reports: Sequence[Any], options: argparse.Namespace) -> list[str]:
    """One ✓/✗ line per target that this run measured."""
    lines = [*_duckdb_over_clingo(reports, options), *_duckdb_over_sql(reports, options)]
    lines += _sql_over_others(reports, options)
    lines += _inv_1m(reports) + _inv_10m(reports) + _memory(reports)
    lines += _agreement(reports)
    return lines


def _ok(report: Any, system: str) -> bool:
    m = report.results.get(system)
    return m is not None and m.status == "ok"


def _speedup(report: Any, fast: str, slow: str, timeout: float) -> tuple[float, float, str]:
    """CPU and wall speed-up of ``fast`` over ``slow``; a bound ("> ") when ``slow`` timed out."""
    f, s = report.results[fast], report.results[slow]
    wall = (timeout if s.status == "timeout" else s.median) / f.median
    return s.cpu / f.cpu, wall, "> " if s.status == "timeout" else ""


def _line(ok: bool, what: str, cpu: float, wall: float, bound: str = "") -> str:
    mark = "✓" if ok else "✗"
    return f"{mark} {what} (CPU {bound}{_ratio(cpu)}, wall {bound}{_ratio(wall)})"


def _ratio(r: float) -> str:
    return f"{r:.0f}×" if r >= 100 else f"{r:.2f}×" if r < 10 else f"{r:.1f}×"


def _comparable(report: Any, slow: str) -> bool:
    m = report.results.get(slow)
    return m is not None and m.status in ("ok", "timeout")


def _duckdb_over_clingo(reports: Sequence[Any], options: argparse.Namespace) -> list[str]:
    by_name = {r.workload.name: r for r in reports}
    lines = []
    for key, need in DUCKDB_OVER_CLINGO.items():
        if key == "sg":
            # The named size, or else the largest same-generation clingo finished.
            candidates = [r for r in reports if r.workload.name.startswith("sg")]
            candidates = [r for r in candidates if _ok(r, "clingo")]
            found = max(candidates, key=lambda r: r.workload.fact_count, default=None)
        else:
            found = next((by_name[n] for n in _ALIASES[key] if n in by_name), None)
        if found is None or not _ok(found, DUCKDB) or not _comparable(found, "clingo"):
            continue
        cpu, wall, bound = _speedup(found, DUCKDB, "clingo", options.timeout)
        what = f"{found.workload.name}: deniable-duckdb ≥ {need}× faster than clingo"
        lines.append(_line(cpu >= need, what, cpu, wall, bound))
    return lines


def _result_rows(report: Any) -> int:
    return sum(size for _, size, _ in report.reference or ())


def _duckdb_over_sql(reports: Sequence[Any], options: argparse.Namespace) -> list[str]:
    lines = []
    for report in reports:
        if _result_rows(report) <= LARGE_RESULT_ROWS:
            continue
        if not _ok(report, DUCKDB) or not _comparable(report, SQL):
            continue
        cpu, wall, bound = _speedup(report, DUCKDB, SQL, options.timeout)
        what = (
            f"{report.workload.name} ({_result_rows(report):,} result rows): "
            "deniable-duckdb ahead of deniable-sql"
        )
        lines.append(_line(cpu > 1.0, what, cpu, wall, bound))
    return lines


def _sql_over_others(reports: Sequence[Any], options: argparse.Namespace) -> list[str]:
    lines = []
    for report in reports:
        if not _ok(report, SQL):
            continue
        for other, need, label in (
            ("clingo", 1.0, "no slower than clingo"),
            ("pydatalog", SQL_OVER_PYDATALOG, f"≥ {SQL_OVER_PYDATALOG:.0f}× faster than pydatalog"),
        ):
            if not _comparable(report, other):
                continue
            cpu, wall, bound = _speedup(report, SQL, other, options.timeout)
            what = f"{report.workload.name}: deniable-sql {label}"
            lines.append(_line(cpu >= need, what, cpu, wall, bound))
    return lines


def _inv_1m(reports: Sequence[Any]) -> list[str]:
    inv = next((r for r in reports if r.workload.name in ("inv-1m", "inv-1000000")), None)
    if inv is None or not _ok(inv, SQL):
        return []
    m = inv.results[SQL]
    mark = "✓" if m.median < INV_1M_SECONDS else "✗"
    return [
        f"{mark} inv-1m: deniable-sql loads and derives in {m.median:.1f} s "
        f"({m.cpu:.1f} s CPU; target < {INV_1M_SECONDS:.0f} s)"
    ]


def _inv_10m(reports: Sequence[Any]) -> list[str]:
    lines = []
    for report in reports:
        if report.workload.name not in _INV_10M:
            continue
        for system, limit in ((DUCKDB, INV_10M_MEMORY_LIMIT_KB), (SQL, math.inf)):
            m = report.results.get(system)
            if m is None or m.status == "skipped":
                continue
            peak = f"peak RSS {m.peak_rss_kb / 1024:,.0f} MB"
            if m.status != "ok":
                lines.append(
                    f"✗ {report.workload.name}: {system} did not finish ({m.status}; {peak})"
                )
                continue
            bound = "" if limit == math.inf else f"; target < {limit / 1024:,.0f} MB"
            mark = "✓" if m.peak_rss_kb < limit else "✗"
            lines.append(
                f"{mark} {report.workload.name}: {system} derives in {m.median:.1f} s "
                f"({m.cpu:.1f} s CPU), {peak}{bound}"
            )
    return lines


def _memory(reports: Sequence[Any]) -> list[str]:
    """Peak RSS under 2 GB on every workload below the 10-million-fact base."""
    lines = []
    systems = dict.fromkeys(s for r in reports for s in r.results)
    for system in systems:
        peaks = [
            r.results[system].peak_rss_kb
            for r in reports
            if r.workload.name not in _INV_10M
            and system in r.results
            and r.results[system].status in ("ok", "timeout")
        ]
        if any(peaks):
            peak = max(peaks)
            mark = "✓" if peak < MEMORY_LIMIT_KB else "✗"
            lines.append(f"{mark} {system}: peak RSS {peak / 1024:.0f} MB (< 2048 MB)")
    return lines


def _agreement(reports: Sequence[Any]) -> list[str]:
    checked = [(r, s) for r in reports for s in r.results if r.agrees(s) is not None]
    if not checked:
        return []
    wrong = [f"{r.workload.name}/{s}" for r, s in checked if not r.agrees(s)]
    if wrong:
        return [f"✗ systems disagree (row counts or digests): {', '.join(wrong)}"]
    systems = len({s for _, s in checked})
    return [
        f"✓ all {systems} systems that finished agree on every output relation of "
        f"{len(reports)} workload(s): same row counts and same digests"
    ]
