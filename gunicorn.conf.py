"""gunicorn's settings for GenIUS, read from the directory gunicorn starts in (the README's commands and
`make bench` start it here). The command line still chooses workers and the address.

After a worker has loaded the app, the objects made while starting (about 130,000: the routes, templates,
SQLAlchemy's mappers, the libraries' modules) live as long as the worker. `gc.freeze()` moves them out of the
garbage collector's sight, so a full collection walks only what requests made: measured with `make bench`
(SQLite, small, two runs each way), the signed-in challenge page's p99 went from 45-64 ms to 29-38 ms.
"""

import gc


def post_worker_init(worker):
    before = gc.get_freeze_count()
    gc.freeze()
    worker.log.info("Set aside %d objects made at start-up from garbage collection", gc.get_freeze_count() - before)
