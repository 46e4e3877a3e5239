"""A local SMTP sink for the benchmark and the drills (aiosmtpd), run as its own process.

    python bench/smtp_sink.py --port 8025 --log /tmp/sink.log --state-dir /tmp/sink [--refuse-permanently a@b]

Every accepted message appends one line ``<Message-ID>`` to the log file, so the caller
counts deliveries, duplicates and losses by Message-ID against the outbox rows. While the
file ``<state-dir>/refuse`` exists, every recipient is refused with a temporary error
(451); addresses given with ``--refuse-permanently`` are always refused with 550.
Listens on 127.0.0.1 only.
"""

import argparse
import asyncio
import os
import re
import signal

from aiosmtpd.controller import Controller

MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>\r\n]+>)", re.IGNORECASE | re.MULTILINE)


class Sink:
    def __init__(self, log_path, state_dir, permanent):
        self.log = open(log_path, "a", buffering=1, encoding="ascii")  # noqa: SIM115 - lives as long as the process
        self.refuse_flag = os.path.join(state_dir, "refuse")
        self.permanent = {address.lower() for address in permanent}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd's hook name
        if address.lower() in self.permanent:
            return "550 5.1.1 Mailbox unavailable (bench sink: refused for good)"
        if os.path.exists(self.refuse_flag):
            return "451 4.3.0 Try again later (bench sink: refusing for a while)"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        header_block = envelope.content.split(b"\r\n\r\n", 1)[0]
        match = MESSAGE_ID.search(header_block)
        message_id = match.group(1).decode("ascii", "replace") if match else "<missing>"
        for _ in envelope.rcpt_tos:
            self.log.write(message_id + "\n")
        return "250 Message accepted for delivery"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--state-dir", required=True)
    parser.add_argument("--refuse-permanently", action="append", default=[])
    args = parser.parse_args()
    os.makedirs(args.state_dir, exist_ok=True)
    controller = Controller(
        Sink(args.log, args.state_dir, args.refuse_permanently),
        hostname="127.0.0.1",
        port=args.port,
        data_size_limit=20 * 1024 * 1024,
    )
    controller.start()
    print(f"smtp sink listening on 127.0.0.1:{args.port}", flush=True)
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    loop.run_until_complete(stop.wait())
    controller.stop()


if __name__ == "__main__":
    main()
