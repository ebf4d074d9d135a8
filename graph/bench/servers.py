"""The servers the peers bench compares, started on 127.0.0.1 only and stopped afterwards.

Each runs as its own process so that its peak memory (``VmHWM``, summed over the process and
its children: govgraph's query workers) can be read without counting the bench client. A
throwaway Virtuoso lives in a temporary folder and is loaded with Virtuoso's own bulk loader
(``ld_dir`` + ``rdf_loader_run``), which is how anyone would load a file of this size; the
bench then queries it through govgraph's ``RemoteStore``, as ``--store sparql+http://`` would.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

__all__ = [
    "ISQL",
    "VIRTUOSO",
    "LocalVirtuoso",
    "free_port",
    "peak_rss_mb",
    "rdflib_endpoint_command",
    "running_virtuoso",
    "serving",
    "virtuoso_bulk_load",
]

VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt")
SERVER_ROOT = "/var/lib/virtuoso-opensource-7/vsp"

_INI = """[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = {dirs}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {root}
ServerThreads = 10
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return out


def peak_rss_mb(pid: int) -> float | None:
    """Peak resident memory (VmHWM) of ``pid`` plus all its descendants, in MB (Linux)."""
    total, todo, seen = 0, [pid], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            status = Path(f"/proc/{current}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                total += int(line.split()[1])
        todo += _children(current)
    return round(total / 1024, 1) if total else None


@contextmanager
def serving(
    cmd: list[str], ready_url: str, *, env: dict[str, str] | None = None, timeout: float = 300
) -> Iterator[subprocess.Popen[bytes]]:
    """Run ``cmd`` (a server on 127.0.0.1) until ``ready_url`` answers; stop it afterwards."""
    proc = subprocess.Popen(
        cmd, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
                raise RuntimeError(f"{cmd[0]} exited: {err[-800:]}")
            try:
                if httpx.get(ready_url, timeout=5, trust_env=False).status_code < 500:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{' '.join(cmd[:4])}... not ready after {timeout} s")
            time.sleep(0.1)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def rdflib_endpoint_command(ntriples: Path, port: int) -> list[str]:
    """rdflib-endpoint serving ``ntriples`` (parsed into an rdflib Graph) at /sparql."""
    script = (
        "import sys, uvicorn\n"
        "from rdflib import Graph\n"
        "from rdflib_endpoint import SparqlEndpoint\n"
        "g = Graph()\n"
        "g.parse(sys.argv[1], format='nt')\n"
        "app = SparqlEndpoint(graph=g, path='/sparql')\n"
        "uvicorn.run(app, host='127.0.0.1', port=int(sys.argv[2]), log_level='warning')\n"
    )
    return [sys.executable, "-c", script, str(ntriples), str(port)]


@dataclass
class LocalVirtuoso:
    endpoint: str
    sql_port: int
    pid: int


@contextmanager
def running_virtuoso(
    workdir: Path, *, timeout: float = 60.0, buffers: int = 10_000, dirs: tuple[Path, ...] = ()
) -> Iterator[LocalVirtuoso]:
    """A fresh Virtuoso on 127.0.0.1 whose SPARQL user may update, in ``workdir``; ``buffers``
    8 KB pages of cache; ``dirs`` are folders its bulk loader may read."""
    if not (VIRTUOSO and ISQL):
        raise RuntimeError("virtuoso-opensource is not installed (virtuoso-t, isql-vt)")
    sql_port, http_port = free_port(), free_port()
    ini = workdir / "virtuoso.ini"
    ini.write_text(
        _INI.format(
            dir=workdir,
            sql_port=sql_port,
            http_port=http_port,
            root=SERVER_ROOT,
            dirs=", ".join([".", *(str(d) for d in dirs)]),
            buffers=buffers,
            dirty=buffers * 3 // 5,
        ),
        encoding="utf-8",
    )
    proc = subprocess.Popen(
        [VIRTUOSO, "+foreground", "+configfile", str(ini)],
        cwd=workdir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{http_port}/sparql"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                response = httpx.get(endpoint, params={"query": "ASK {}"}, timeout=2)
                if response.status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log = (workdir / "virtuoso.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"Virtuoso did not start:\n{log}")
            time.sleep(0.5)
        grant = "GRANT SPARQL_UPDATE TO \"SPARQL\"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET('nobody', 7);"
        _isql(sql_port, grant)
        yield LocalVirtuoso(endpoint, sql_port, proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _isql(sql_port: int, command: str, timeout: float = 30) -> str:
    assert ISQL
    done = subprocess.run(
        [ISQL, f"127.0.0.1:{sql_port}", "dba", "dba", f"exec={command}"],
        check=True,
        capture_output=True,
        timeout=timeout,
    )
    return done.stdout.decode(errors="replace")


def virtuoso_bulk_load(server: LocalVirtuoso, ntriples: Path, graph: str) -> None:
    """Load ``ntriples`` into ``graph`` with Virtuoso's bulk loader, then checkpoint (the
    caller checks the triple count: the loader logs errors in a table, not its exit status)."""
    folder, name = ntriples.resolve().parent, ntriples.name
    _isql(
        server.sql_port,
        f"ld_dir('{folder}', '{name}', '{graph}'); rdf_loader_run(); checkpoint;",
        timeout=1800,
    )
