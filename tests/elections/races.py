"""A thread-race harness for the concurrency tests (SQLite locally, PostgreSQL in CI)."""

import threading

from django.db import connection


def race(jobs, refused, prepare=None):
    """Run each job in its own thread, all released at the same moment; return [(outcome, detail)].

    ``outcome`` is "ok" (detail: what the job returned), "refused" (it raised one of ``refused``)
    or "error" (anything else). If ``prepare`` is given, each thread calls it before the release
    and passes its result to the job, so only the job itself races.
    """
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(index, job):
        try:
            if prepare is None:
                barrier.wait()
                results[index] = ("ok", job())
            else:
                prepared = prepare()
                barrier.wait()
                results[index] = ("ok", job(prepared))
        except refused as error:
            results[index] = ("refused", str(error))
        except Exception as error:  # noqa: BLE001 – reported below: a database error fails the test
            results[index] = ("error", repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Row locks (PostgreSQL) or the write lock (SQLite, BEGIN IMMEDIATE) make the attempts wait
    # their turn: each is stored or cleanly refused, none fails with a database error.
    assert [r for r in results if r[0] == "error"] == [], results
    return results
