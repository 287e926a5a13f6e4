"""The worker `manage.py rqworker` runs with TASKS_BACKEND=redis (settings.RQ)."""

from rq import Worker as RQWorker

# How long the thread listening on a worker's Redis channel waits for a message at a time.
LISTEN_SECONDS = 1


class Worker(RQWorker):
    """RQ's worker, listening on its Redis channel (for commands such as "stop this job") in
    waits of a second rather than RQ's minute.

    Stopping a worker ends that thread and waits for it. When the thread has already taken
    the reply to the worker's unsubscribe (a SIGTERM often lands there), it is waiting for a
    subscription that will not come, and with RQ's own wait the worker would take up to a
    minute to stop, long enough for a deploy or a process manager to kill it instead.
    """

    def subscribe(self):
        self.log.info("Worker %s: subscribing to channel %s", self.name, self.pubsub_channel_name)
        self.pubsub = self.connection.pubsub()
        self.pubsub.subscribe(**{self.pubsub_channel_name: self.handle_payload})
        self.pubsub_thread = self.pubsub.run_in_thread(
            sleep_time=LISTEN_SECONDS,
            daemon=True,
            exception_handler=self._pubsub_exception_handler,
        )
