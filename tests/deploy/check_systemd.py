"""Checks deploy/systemd: the units pass `systemd-analyze verify` (run on
copies whose ExecStart names the built binaries: verify wants them to exist)
with nothing to say, their exposure (`systemd-analyze security --offline`) is
at most 2.0, and duband.service has the settings docs/deploy.md promises —
among them memory limits that match the hosts' --memory_budget.
Needs no running systemd.

  check_systemd.py --units-dir deploy/systemd --duband PATH --duban PATH
"""

import argparse
import glob
import os
import shutil
import subprocess
import tempfile

from deploy_files import (DEFAULT_MEMORY_BUDGET, byte_size, exec_start_words, flagfile_words,
                          memory_high_for, memory_limit_for, parse_flags, require, run_check, unit_settings)

INSTALLED = {"/usr/local/bin/duband": "duband", "/usr/local/bin/duban": "duban"}

# duband.service: (section, key, what the value must satisfy, why).
DUBAND_RULES = [
    ("Service", "User", lambda v: v not in ("", "root"), "a dedicated user, not root"),
    ("Service", "StateDirectory", lambda v: "duban" in v.split(), "the store in /var/lib/duban"),
    ("Service", "Restart", lambda v: v == "on-failure", "restarted when it fails"),
    ("Service", "TimeoutStopSec", lambda v: v.endswith("s") and int(v[:-1]) > 10,
     "more than duband's 10 s drain"),
    ("Service", "LimitNOFILE", lambda v: int(v) >= 4096, "room for many connections"),
    ("Service", "NoNewPrivileges", lambda v: v == "yes", "hardening"),
    ("Service", "ProtectSystem", lambda v: v == "strict", "hardening"),
    ("Service", "CapabilityBoundingSet", lambda v: v == "", "no capabilities"),
    ("Service", "MemoryDenyWriteExecute", lambda v: v == "yes", "hardening"),
    ("Service", "RestrictAddressFamilies", lambda v: set(v.split()) ==
     {"AF_INET", "AF_INET6", "AF_UNIX"}, "IP and Unix sockets only"),
    ("Service", "SystemCallFilter", lambda v: v == "@system-service", "system calls"),
]


def check_duband_rules(path):
    settings = unit_settings(path)
    for section, key, satisfied, why in DUBAND_RULES:
        values = settings.get((section, key), [])
        require(any(satisfied(value) for value in values),
                f"{path}: [{section}] {key}= is {values or 'missing'}; wanted: {why}")


def check_memory(units_dir):
    """duband.service's MemoryHigh= is an eighth above each host's
    --memory_budget and its MemoryMax= a quarter."""
    settings = unit_settings(os.path.join(units_dir, "duband.service"))
    high = settings.get(("Service", "MemoryHigh"), [])
    highest = settings.get(("Service", "MemoryMax"), [])
    require(high and highest, "duband.service: MemoryHigh= and MemoryMax= are missing")
    for flags_file in sorted(glob.glob(os.path.join(units_dir, "*.flags"))):
        with open(flags_file, encoding="utf-8") as file:
            flags = parse_flags(flagfile_words(file.read()))
        budget = byte_size(flags.get("memory_budget", DEFAULT_MEMORY_BUDGET))
        require(byte_size(high[-1]) == memory_high_for(budget),
                f"duband.service: MemoryHigh={high[-1]} is not an eighth above "
                f"{os.path.basename(flags_file)}'s --memory_budget "
                f"({memory_high_for(budget) >> 20}M)")
        require(byte_size(highest[-1]) == memory_limit_for(budget),
                f"duband.service: MemoryMax={highest[-1]} is not a quarter above "
                f"{os.path.basename(flags_file)}'s --memory_budget "
                f"({memory_limit_for(budget) >> 20}M)")


def copy_with_built_binaries(units, binaries, scratch):
    copies = []
    for unit in units:
        with open(unit, encoding="utf-8") as file:
            text = file.read()
        if unit.endswith(".service"):
            program = exec_start_words(unit)[0]
            require(program in INSTALLED,
                    f"{unit}: ExecStart runs {program}, not one of {sorted(INSTALLED)}")
            text = text.replace(f"ExecStart={program}",
                                f"ExecStart={binaries[INSTALLED[program]]}")
        copy = os.path.join(scratch, os.path.basename(unit))
        with open(copy, "w", encoding="utf-8") as file:
            file.write(text)
        copies.append(copy)
    return copies


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--units-dir", required=True)
    parser.add_argument("--duband", required=True)
    parser.add_argument("--duban", required=True)
    args = parser.parse_args()
    require(shutil.which("systemd-analyze"), "systemd-analyze is missing (Debian: systemd)")

    units = sorted(glob.glob(os.path.join(args.units_dir, "*.service")) +
                   glob.glob(os.path.join(args.units_dir, "*.timer")))
    require(os.path.join(args.units_dir, "duband.service") in units, "no duband.service")
    check_duband_rules(os.path.join(args.units_dir, "duband.service"))
    check_memory(args.units_dir)

    with tempfile.TemporaryDirectory() as scratch:
        copies = copy_with_built_binaries(
            units, {"duband": args.duband, "duban": args.duban}, scratch)
        verify = subprocess.run(["systemd-analyze", "verify", "--man=no", *copies],
                                capture_output=True, text=True, cwd=scratch)
        said = (verify.stdout + verify.stderr).strip()
        require(verify.returncode == 0 and not said,
                f"systemd-analyze verify (exit {verify.returncode}):\n{said}")
        for copy in copies:
            if not copy.endswith(".service"):
                continue
            security = subprocess.run(
                ["systemd-analyze", "security", "--offline=yes", "--threshold=20",
                 "--no-pager", copy], capture_output=True, text=True, cwd=scratch)
            overall = security.stdout.strip().splitlines()[-1:] or ["(no output)"]
            print(f"{os.path.basename(copy)}: {overall[0]}")
            require(security.returncode == 0,
                    f"{os.path.basename(copy)}: exposure above 2.0:\n{security.stdout}")
    print(f"OK: {len(units)} units verified")


if __name__ == "__main__":
    run_check(main)
