"""Checks that every duband flag the deploy files give is one duband has,
with a value it accepts: the flagfiles (deploy/systemd/*.flags — the primary
host's duband.flags and the replica host's duband-replica.flags — and every
ConfigMap `*.flags` under deploy/k8s) as `duband --flagfile=FILE --version`,
and the command lines (duband.service's ExecStart, the Containerfile's
ENTRYPOINT, the StatefulSets' args) as `duband ARGS --version`, with
--flagfile taken out (the flagfiles are checked themselves). absl parses
every flag and stops at --version: exit 0 means all were accepted. A
replica's flagfile (--replica_of) must not give --principals, which duband
refuses only when it starts, and needs a --replication_token_file.

  check_flags.py --deploy-dir deploy --duband PATH
"""

import argparse
import glob
import json
import os
import subprocess
import tempfile

from deploy_files import (containerfile_instructions, exec_start_words, flagfile_words,
                          load_yaml_file, parse_flags, require, run_check, yaml_files)


def flagfiles(deploy_dir):
    """(where, text) of every flagfile in deploy/."""
    found = []
    for path in sorted(glob.glob(os.path.join(deploy_dir, "systemd", "*.flags"))):
        with open(path, encoding="utf-8") as file:
            found.append((f"deploy/systemd/{os.path.basename(path)}", file.read()))
    names = [where for where, _ in found]
    require({"deploy/systemd/duband.flags", "deploy/systemd/duband-replica.flags"} <= set(names),
            f"deploy/systemd has {names}: the primary's duband.flags and the replica's "
            "duband-replica.flags are expected")
    for path in yaml_files(os.path.join(deploy_dir, "k8s")):
        for doc in load_yaml_file(path):
            if doc["kind"] != "ConfigMap":
                continue
            for key, text in (doc.get("data") or {}).items():
                if key.endswith(".flags"):
                    found.append((f"{path}: {doc['metadata']['name']}/{key}", text))
    return found


def command_lines(deploy_dir):
    """(where, duband's arguments) of every command line that runs duband."""
    found = [("duband.service ExecStart",
              exec_start_words(os.path.join(deploy_dir, "systemd", "duband.service"))[1:])]
    for keyword, arguments in containerfile_instructions(
            os.path.join(deploy_dir, "container", "Containerfile")):
        if keyword == "ENTRYPOINT":
            found.append(("Containerfile ENTRYPOINT", json.loads(arguments)[1:]))
    for path in yaml_files(os.path.join(deploy_dir, "k8s")):
        for doc in load_yaml_file(path):
            if doc["kind"] != "StatefulSet":
                continue
            pod = doc["spec"].get("template", {}).get("spec", {})  # (a patch may have none)
            for container in pod.get("containers", []):
                if container.get("args") is not None:
                    found.append((f"{path}: container {container['name']} args",
                                  container["args"]))
    return found


def check_replica_flags(text, where):
    """A replica's flagfile: no --principals, a --replication_token_file."""
    flags = parse_flags(flagfile_words(text))
    if flags.get("replica_of"):
        require(not flags.get("principals"), f"{where}: a replica (--replica_of) takes no "
                "--principals (it has the primary's; duband refuses to start with both)")
        require(flags.get("replication_token_file"), f"{where}: a replica (--replica_of) needs "
                "--replication_token_file (its REPLICA principal's token)")


def duband_accepts(duband, arguments, where):
    result = subprocess.run([duband, *arguments, "--version"], capture_output=True, text=True,
                            timeout=60)
    errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR")]
    require(result.returncode == 0, f"{where}: duband refuses its flags: "
            f"{'; '.join(errors) or result.stderr.strip()}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--deploy-dir", required=True)
    parser.add_argument("--duband", required=True)
    args = parser.parse_args()

    checked = 0
    with tempfile.TemporaryDirectory() as scratch:
        for number, (where, text) in enumerate(flagfiles(args.deploy_dir)):
            path = os.path.join(scratch, f"{number}.flags")
            with open(path, "w", encoding="utf-8") as file:
                file.write(text)
            duband_accepts(args.duband, [f"--flagfile={path}"], where)
            check_replica_flags(text, where)
            checked += 1
    for where, arguments in command_lines(args.deploy_dir):
        require(arguments, f"{where}: no arguments")
        duband_accepts(args.duband, [word for word in arguments
                                     if not word.startswith("--flagfile")], where)
        checked += 1
    require(checked >= 5, f"only {checked} flag sources found")
    print(f"OK: duband accepts the flags of {checked} flagfiles and command lines")


if __name__ == "__main__":
    run_check(main)
