"""arnews_nlp.dask on a real LocalCluster with two worker processes gives the same results
as one process. Skipped without the `dask` extra; CI installs it."""

from __future__ import annotations

import pytest

pytest.importorskip("dask.bag")
distributed = pytest.importorskip("distributed")

import arnews_nlp  # noqa: E402
from arnews_nlp.dask import analyze_bag, analyze_column  # noqa: E402

TEXTS = [f"قال الوزير رقم {i} إن الوفد وصل إلى القاهرة، بحسب مصادر." for i in range(300)]


@pytest.fixture(scope="module")
def client():  # type: ignore[no-untyped-def]
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    with distributed.Client(cluster) as dask_client:
        dask_client.wait_for_workers(2, timeout=60)
        yield dask_client
    cluster.close()


def test_bag_on_two_worker_processes_equals_single_process(client) -> None:  # type: ignore[no-untyped-def]
    import dask.bag as db

    bag = analyze_bag(db.from_sequence(TEXTS, npartitions=6), quotes=True)
    results = bag.compute()
    # nthreads() asks the scheduler; scheduler_info() is a cached snapshot that can be
    # taken before the workers register.
    assert len(client.nthreads()) == 2
    expected = [d.to_dict() for d in arnews_nlp.pipe(TEXTS)]
    assert results == expected


def test_dataframe_column(client) -> None:  # type: ignore[no-untyped-def]
    import dask.dataframe as dd
    import pandas as pd

    frame = dd.from_pandas(pd.DataFrame({"text": TEXTS[:40]}), npartitions=4)
    series = analyze_column(frame["text"], quotes=False).compute()
    assert [arnews_nlp.Document.from_dict(d).text for d in series] == TEXTS[:40]
    assert all(d["quotes"] == [] for d in series)


def test_a_bad_text_is_recorded_not_fatal(client) -> None:  # type: ignore[no-untyped-def]
    import dask.bag as db

    results = analyze_bag(db.from_sequence(["نعم", None, "لا"], npartitions=1)).compute()
    assert [r["text"] for r in results] == ["نعم", "", "لا"]
    assert "text must be str" in results[1]["meta"]["notes"][0]
