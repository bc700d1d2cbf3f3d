"""Throughput of one process, pipe(n_process=2), a Dask LocalCluster with two worker
processes and Spark in local mode on two cores, on the same ~1 MB of Arabic news in the
same run (docs/scaling.md).

    python benchmarks/bench_scale_out.py [--megabytes 1.0]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_speed import DEFAULT_CORPUS, load_news

import arnews_nlp


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--megabytes", type=float, default=1.0)
    args = parser.parse_args()
    texts = load_news(args.corpus, args.megabytes)
    tokens = sum(len(arnews_nlp.tokenize(t)) for t in texts)
    rows = []

    started = time.perf_counter()
    list(arnews_nlp.pipe(texts))
    rows.append(("1 process: pipe(texts)", time.perf_counter() - started))

    started = time.perf_counter()
    list(arnews_nlp.pipe(texts, n_process=2, batch_size=16))
    rows.append(("pipe(texts, n_process=2), start-up included", time.perf_counter() - started))

    try:
        import dask.bag as db
        import distributed

        from arnews_nlp.dask import analyze_bag
    except ImportError:
        rows.append(("Dask: not installed", float("nan")))
    else:
        import dask

        # one BLAS thread per worker process (the processes are the parallelism)
        blas = {v: "1" for v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
        dask.config.set({"distributed.nanny.pre-spawn-environ": blas})
        cluster = distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        )
        with distributed.Client(cluster):
            started = time.perf_counter()
            analyze_bag(db.from_sequence(texts, npartitions=16)).compute()
            rows.append(
                (
                    "Dask LocalCluster, 2 worker processes (warm-up included)",
                    time.perf_counter() - started,
                )
            )
        cluster.close()

    rows.append(_spark(texts))

    print(f"{len(texts)} articles, {tokens:,} tokens\n")
    print("| how | seconds | tokens/s | articles/hour |")
    print("|---|---:|---:|---:|")
    for name, seconds in rows:
        rate = tokens / seconds
        print(f"| {name} | {seconds:.1f} | {rate:,.0f} | {len(texts) / seconds * 3600:,.0f} |")


def _spark(texts: list[str]) -> tuple[str, float]:
    try:
        from pyspark.sql import SparkSession

        from arnews_nlp.spark import analyze_frame
    except ImportError:
        return ("Spark: not installed", float("nan"))
    session = (
        SparkSession.builder.master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.executorEnv.OPENBLAS_NUM_THREADS", "1")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")

    def run(sample: list[str]) -> float:
        frame = session.createDataFrame([(t,) for t in sample], "text string")
        frame = frame.repartition(4).cache()
        frame.count()  # the input in executor memory, as it would be when read from storage
        started = time.perf_counter()
        result = analyze_frame(frame).select("entities", "quotes")
        result.write.format("noop").mode("overwrite").save()
        return time.perf_counter() - started

    run(texts[:20])  # starts the JVM's Python workers and their pipelines
    seconds = run(texts)
    session.stop()
    return ("Spark local[2], analyze_frame (after a 20-text warm-up)", seconds)


if __name__ == "__main__":
    main()
