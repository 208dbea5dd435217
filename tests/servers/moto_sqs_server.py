"""moto's server, with its SQS queues safe for concurrent requests.

moto serves requests on several threads, but its in-memory SQS queues take no lock: ReceiveMessage checks
that a message is visible and marks it received in two steps, so two receives at once can both get it
(getmoto/moto#519; seen: 8 of 4,000 messages received twice by 8 concurrent receivers), and DeleteMessage
rebuilds a queue's message list from a copy, so a message sent while a delete runs is lost (seen: a
scheduled retry, sent while another Sender deleted, never came back). Notify's tests run several Senders
on one queue and need SQS's promise that nothing sent is lost, so every SQS call that reads or changes
messages runs under one lock here, released while a receive long-polls.
"""
import functools
import sys
import threading

from moto.server import main
from moto.sqs import models

_lock = threading.RLock()


def _locked(call):
    @functools.wraps(call)
    def wrapper(*args, **kwargs):
        with _lock:
            return call(*args, **kwargs)

    return wrapper


for _name in (
    "send_message",
    "send_message_batch",
    "receive_message",
    "delete_message",
    "delete_message_batch",
    "change_message_visibility",
    "change_message_visibility_batch",
    "purge_queue",
    "get_queue_attributes",
):
    setattr(models.SQSBackend, _name, _locked(getattr(models.SQSBackend, _name)))

_wait_for_messages = models.Queue.wait_for_messages


def _wait_unlocked(self, timeout):
    # A long poll waits for a send; the send needs the lock. RLock's own save/restore (what Condition uses)
    # releases it however deeply this thread holds it, and takes it back the same.
    state = _lock._release_save()
    try:
        _wait_for_messages(self, timeout)
    finally:
        _lock._acquire_restore(state)


models.Queue.wait_for_messages = _wait_unlocked

if __name__ == "__main__":
    main(sys.argv[1:])
