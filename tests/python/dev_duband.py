"""The real duband with the demo county (tokens equal principal ids) on
127.0.0.1 and a free port, for tests that drive it from outside.

  with DevDuband(duband_path, data_dir) as server:
      call(f"--server={server.address}", ...)
  # stopped with SIGTERM; server.returncode is duband's exit code

With metrics=True, duband also serves Prometheus on a free port:
server.metrics_port.
"""

import queue
import re
import signal
import subprocess
import threading
import time

LISTENING = re.compile(r"listening on (127\.0\.0\.1:\d+)")
METRICS = re.compile(r"metrics on http://127\.0\.0\.1:(\d+)/metrics")


class DevDuband:
    def __init__(self, duband, data_dir, start_seconds=30, metrics=False):
        self.command = [duband, "--dev", "--listen=127.0.0.1:0", f"--data={data_dir}"]
        if metrics:
            self.command.append("--metrics-listen=127.0.0.1:0")
        self.metrics = metrics
        self.start_seconds = start_seconds
        self.stderr_lines = []
        self.address = None
        self.metrics_port = None
        self.returncode = None

    def __enter__(self):
        self.process = subprocess.Popen(self.command, stderr=subprocess.PIPE, text=True)
        lines = queue.Queue()
        # Reads stderr to its end, so duband never blocks on a full pipe.
        def read_stderr():
            for line in self.process.stderr:
                self.stderr_lines.append(line)
                lines.put(line)
            lines.put(None)
        self.reader = threading.Thread(target=read_stderr, daemon=True)
        self.reader.start()
        deadline = time.monotonic() + self.start_seconds
        while self.address is None or (self.metrics and self.metrics_port is None):
            try:
                line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                line = None
            if line is None:
                self.__exit__(None, None, None)
                raise RuntimeError("duband did not start:\n" + "".join(self.stderr_lines))
            match = LISTENING.search(line)
            if match:
                self.address = match.group(1)
            match = METRICS.search(line)
            if match:
                self.metrics_port = int(match.group(1))
        return self

    def __exit__(self, *unused):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        self.returncode = self.process.wait(timeout=60)
        self.reader.join(timeout=10)
        return False
