"""Checks deploy/prometheus/duban-alerts.yaml: it parses as Prometheus rule
groups, every rule has an alert name, an expression, a severity and a
summary, and every duban_* and grpc_server_* metric an expression names is
one the real duband serves (scraped from a --dev duband after one call, and
from a replica of it: some duban_replication_* metrics exist on a replica
only, others on a primary only).

  check_alerts.py --rules deploy/prometheus/duban-alerts.yaml --duband PATH --duban PATH
"""

import argparse
import os
import re
import subprocess
import tempfile
import urllib.request

import yaml

from deploy_files import require, run_check
from dev_duband import DevDuband

METRIC = re.compile(r"\b((?:duban|grpc_server)_[a-z_]+)\b")


def scraped_families(metrics_port):
    url = f"http://127.0.0.1:{metrics_port}/metrics"
    with urllib.request.urlopen(url, timeout=30) as response:
        text = response.read().decode()
    return {line.split()[2] for line in text.splitlines() if line.startswith("# TYPE ")}


def served_metrics(duband, duban, scratch):
    """The metric families a --dev duband serves once it has answered a call,
    and those a replica of it serves (--dev: the demo county's replica token)."""
    with DevDuband(duband, os.path.join(scratch, "data"), metrics=True) as server:
        subprocess.run([duban, "--server", server.address, "--token", "leader", "ticket", "list"],
                       check=True, capture_output=True, timeout=60)
        names = scraped_families(server.metrics_port)
        replica = DevDuband(duband, os.path.join(scratch, "replica"), metrics=True)
        replica.command.append(f"--replica_of={server.address}")
        with replica:
            names |= scraped_families(replica.metrics_port)
    return names


def main():
    parser = argparse.ArgumentParser()
    for flag in ("--rules", "--duband", "--duban"):
        parser.add_argument(flag, required=True)
    args = parser.parse_args()

    with open(args.rules, encoding="utf-8") as file:
        try:
            rules = yaml.safe_load(file)
        except yaml.YAMLError as error:
            require(False, f"{args.rules}: not YAML: {error}")
    groups = rules.get("groups") if isinstance(rules, dict) else None
    require(isinstance(groups, list) and groups, f"{args.rules}: no rule groups")
    with tempfile.TemporaryDirectory() as scratch:
        served = served_metrics(args.duband, args.duban, scratch)
    # Prometheus serves counters and histograms under their family names.
    families = served | {name + suffix for name in served for suffix in ("_bucket", "_count", "_sum")}
    count = 0
    for group in groups:
        require(group.get("name") and isinstance(group.get("rules"), list),
                f"{args.rules}: a group without a name or rules")
        for rule in group["rules"]:
            name = rule.get("alert")
            require(name and rule.get("expr"), f"{args.rules}: a rule without alert or expr")
            require(rule.get("labels", {}).get("severity") in ("warning", "critical"),
                    f"{name}: severity must be warning or critical")
            require(rule.get("annotations", {}).get("summary"), f"{name}: no summary")
            for metric in METRIC.findall(rule["expr"]):
                require(metric in families, f"{name}: duband serves no metric {metric}")
            count += 1
    print(f"OK: {count} alerts, every metric they name is served")


if __name__ == "__main__":
    run_check(main)
