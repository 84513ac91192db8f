"""client/python/file_finding.py against the real duband: generates the
Python stubs from proto/, files a finding as the demo inspector, and checks
that the client saw the finding's CREATED event and that the CLI finds the
ticket as filed.

  file_finding_test.py --duband PATH --duban PATH --proto-dir DIR --client FILE
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

from dev_duband import DevDuband

TITLE = "村内垃圾堆放未清理"


def generate_stubs(proto_dir, out_dir):
    protos = sorted(os.path.join(root, name)
                    for root, _, names in os.walk(proto_dir)
                    for name in names if name.endswith(".proto"))
    subprocess.run(["protoc", f"--python_out={out_dir}", f"--grpc_out={out_dir}",
                    "--plugin=protoc-gen-grpc=/usr/bin/grpc_python_plugin",
                    f"-I{proto_dir}", *protos], check=True)


def fail(message, *outputs):
    print("FAIL:", message, *outputs, sep="\n", file=sys.stderr)
    sys.exit(1)


def main():
    parser = argparse.ArgumentParser()
    for flag in ("--duband", "--duban", "--proto-dir", "--client"):
        parser.add_argument(flag, required=True)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        stubs = os.path.join(scratch, "stubs")
        os.mkdir(stubs)
        generate_stubs(args.proto_dir, stubs)
        with DevDuband(args.duband, os.path.join(scratch, "data")) as server:
            client = subprocess.run(
                ["/usr/bin/python3", args.client, f"--server={server.address}",
                 "--token=inspector", f"--title={TITLE}", "--lead=chengguan",
                 "--severity=MAJOR", "--location=chengguan-dongjie", "--timeout=30"],
                env={**os.environ, "PYTHONPATH": stubs}, capture_output=True, text=True,
                timeout=120)
            print(client.stdout, client.stderr, sep="")
            if client.returncode != 0:
                fail(f"the client exited with {client.returncode}")
            filed = re.search(r"^filed (tickets/\d+) STAGE_FEEDBACK$", client.stdout, re.M)
            if not filed:
                fail("the client did not print `filed tickets/N STAGE_FEEDBACK`")
            name = filed.group(1)
            if not re.search(rf"^seen EVENT_TYPE_CREATED of {name} at cursor \d+$",
                             client.stdout, re.M):
                fail(f"the client did not report the CREATED event of {name}")

            get = subprocess.run(
                [args.duban, f"--server={server.address}", "--token=leader", "-o", "json",
                 "ticket", "get", name], capture_output=True, text=True, timeout=60)
            if get.returncode != 0:
                fail(f"duban ticket get {name} exited with {get.returncode}", get.stderr)
            ticket = json.loads(get.stdout)
            expected = {"kind": "TICKET_KIND_FINDING", "title": TITLE,
                        "leadUnit": "units/chengguan", "issuer": "principals/inspector",
                        "severity": "SEVERITY_MAJOR", "stage": "STAGE_FEEDBACK"}
            wrong = {key: ticket.get(key) for key, value in expected.items()
                     if ticket.get(key) != value}
            if wrong:
                fail(f"{name} is not the finding filed: {wrong}", get.stdout)
        if server.returncode != 0:
            fail(f"duband exited with {server.returncode} after SIGTERM",
                 "".join(server.stderr_lines))
    print(f"OK: {name} filed as a finding and its CREATED event seen")


if __name__ == "__main__":
    main()
