"""Security tests run against a private, hub-like PostgreSQL cluster that this session starts itself.

``private_cluster`` is one :class:`tests.pgcluster.PrivateCluster` for the whole session (SCRAM, TLS
only, pgaudit, a free port): never the machine's own server at 127.0.0.1:5432. If it cannot start,
the session fails with the reason and the server log tail; a skipped security run is never a pass.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.pgcluster import ClusterError, PrivateCluster


@pytest.fixture(scope="session")
def private_cluster() -> Iterator[PrivateCluster]:
    cluster = PrivateCluster()
    try:
        cluster.start()
    except Exception as exc:  # whatever it was, the run fails saying so: never a skip
        reason = str(exc) if isinstance(exc, ClusterError) else f"{exc.__class__.__name__}: {exc}"
        pytest.fail(f"The private PostgreSQL cluster for the security tests did not start:\n{reason}", pytrace=False)
    try:
        yield cluster
    finally:
        cluster.stop()
