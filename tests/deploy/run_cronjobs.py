"""Runs the commands of deploy/k8s/base's CronJobs with the built duban
against the real duband with the demo county, where tokens equal principal
ids: each CronJob's DUBAN_TOKEN key names the principal it must run as
(escalator, admin). Each command must exit 0 — the subcommand exists, its
arguments parse, and that principal's role may call it. Changed for the test
only: the binary's path, DUBAN_SERVER, --ca (the test server is plaintext
on loopback), and the backup directory (a scratch one).

  run_cronjobs.py --k8s-dir deploy/k8s --duband PATH --duban PATH
"""

import argparse
import os
import subprocess
import tempfile

from deploy_files import kustomization_resources, require, run_check
from dev_duband import DevDuband

TLS_FLAGS = ("--ca", "--cert", "--key")


def test_command(container, duban, address, backup_mount, scratch):
    """The CronJob container's command and environment, pointed at the test server."""
    env = {**os.environ, "DUBAN_SERVER": address}
    env.pop("DUBAN_TOKEN", None)
    for variable in container.get("env", []):
        secret = (variable.get("valueFrom") or {}).get("secretKeyRef")
        if variable["name"] == "DUBAN_TOKEN":
            require(secret, f"{container['name']}: DUBAN_TOKEN does not come from a Secret")
            env["DUBAN_TOKEN"] = secret["key"]
    require("DUBAN_TOKEN" in env, f"{container['name']}: no DUBAN_TOKEN")
    command = [duban]
    for word in container["command"][1:]:
        if word.split("=")[0] in TLS_FLAGS:
            continue
        command.append(scratch if word == backup_mount else word)
    return command, env


def main():
    parser = argparse.ArgumentParser()
    for flag in ("--k8s-dir", "--duband", "--duban"):
        parser.add_argument(flag, required=True)
    args = parser.parse_args()

    documents = kustomization_resources(os.path.join(args.k8s_dir, "base"))
    # The primary's: the CronJobs call it (check_k8s.py checks that).
    (statefulset,) = [d for d in documents
                      if d["kind"] == "StatefulSet" and d["metadata"]["name"] == "duban"]
    (duband,) = [c for c in statefulset["spec"]["template"]["spec"]["containers"]
                 if c["name"] == "duband"]
    backup_mount = next(m["mountPath"] for m in duband["volumeMounts"] if m["name"] == "backup")
    jobs = [d for d in documents if d["kind"] == "CronJob"]
    require(jobs, "no CronJobs")

    with tempfile.TemporaryDirectory() as scratch:
        with DevDuband(args.duband, os.path.join(scratch, "data")) as server:
            for job in jobs:
                (container,) = job["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"]
                backups = tempfile.mkdtemp(dir=scratch)
                command, env = test_command(container, args.duban, server.address,
                                            backup_mount, backups)
                run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
                name = job["metadata"]["name"]
                print(f"{name}: DUBAN_TOKEN={env['DUBAN_TOKEN']} {' '.join(command[1:])} "
                      f"→ exit {run.returncode}\n{run.stdout}{run.stderr}")
                require(run.returncode == 0, f"CronJob {name}'s command fails (exit "
                        f"{run.returncode}; 2: its command line is wrong, 1: the server refused)")
    print(f"OK: the commands of {len(jobs)} CronJobs run")


if __name__ == "__main__":
    run_check(main)
