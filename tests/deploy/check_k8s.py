"""Checks deploy/k8s: every file is YAML whose documents have apiVersion,
kind and metadata.name; every kustomization's resources and patches exist;
and one county's manifests fit together — the base as written, and with
--kubectl, each county overlay as `kubectl kustomize` builds it:

  - one StatefulSet of one replica, governed by a headless Service;
  - duband's --flagfile is a key of the ConfigMap mounted there;
  - --listen and --metrics_listen use the container ports named grpc and
    metrics, which the Services target;
  - startup, readiness and liveness probes are the kubelet's native gRPC
    probe: of the health-only port (--health_listen, plaintext) when duband
    serves TLS, which the probe cannot speak; of it or the gRPC port
    otherwise;
  - --data lies on a volumeClaimTemplate's mount; TLS files, principals and
    keys come from Secret volumes;
  - the backup CronJob backs up into the backup volume's mount, the
    escalation CronJob is suspended exactly when --escalation=on, and both
    pass --ca when duband serves TLS.

  check_k8s.py --k8s-dir deploy/k8s [--kubectl PATH]
"""

import argparse
import os
import subprocess

import yaml

from deploy_files import (flagfile_words, kustomization_resources, load_yaml_file, parse_flags,
                          port_of, require, run_check, yaml_files)

SECRET_FILE_FLAGS = ("tls_cert", "tls_key", "tls_client_ca", "principals", "audit_key")


def one(documents, kind, where):
    found = [doc for doc in documents if doc["kind"] == kind]
    require(len(found) == 1, f"{where}: {len(found)} {kind}s, expected one")
    return found[0]


def mount_of(path, mounts):
    """The volumeMount whose mountPath holds `path`, or None."""
    for mount in mounts:
        root = mount["mountPath"].rstrip("/")
        if path == root or path.startswith(root + "/"):
            return mount
    return None


def flagfile_text(path, container, volumes, documents, where):
    """The ConfigMap key mounted at `path`."""
    mount = mount_of(path, container.get("volumeMounts", []))
    require(mount, f"{where}: --flagfile={path} is on no volume")
    config_map = volumes.get(mount["name"], {}).get("configMap", {}).get("name")
    require(config_map, f"{where}: --flagfile={path} is not on a ConfigMap volume")
    maps = [d for d in documents if d["kind"] == "ConfigMap" and d["metadata"]["name"] == config_map]
    require(maps, f"{where}: no ConfigMap {config_map}")
    key = os.path.relpath(path, mount["mountPath"])
    text = (maps[0].get("data") or {}).get(key)
    require(text is not None, f"{where}: ConfigMap {config_map} has no key {key}")
    return text


def duband_flags(statefulset, container, documents, where):
    """duband's flags as it sees them: its args in order, a flagfile's lines
    where the --flagfile stands, a later flag winning."""
    volumes = {v["name"]: v for v in statefulset["spec"]["template"]["spec"].get("volumes", [])}
    words = []
    for word in container.get("args", []):
        path = parse_flags([word]).get("flagfile")
        words += [word] if path is None else flagfile_words(
            flagfile_text(path, container, volumes, documents, where))
    require(len(words) > len(container.get("args", [])),
            f"{where}: duband's args name no flagfile")
    return parse_flags(words), volumes


def check_probes(container, flags, ports, where):
    health = port_of(flags["health_listen"]) if flags.get("health_listen") else None
    require(health is None or ports.get("health") == health,
            f"{where}: --health_listen={flags.get('health_listen')} is not the port named health")
    probed = [health] if flags.get("tls_cert") else [health, ports["grpc"]]
    for kind in ("startupProbe", "readinessProbe", "livenessProbe"):
        probe = container.get(kind)
        require(probe, f"{where}: duband has no {kind}")
        port = (probe.get("grpc") or {}).get("port")
        require(port is not None and port in probed,
                f"{where}: {kind} is not a gRPC probe of port {probed[0] or ports['grpc']}"
                + (" (duband serves TLS there, which the kubelet's gRPC probe cannot speak: "
                   "probe --health_listen)" if flags.get("tls_cert") else "")
                + " — the probe takes a number, not a name")


def check_county(documents, where):
    statefulset = one(documents, "StatefulSet", where)
    spec = statefulset["spec"]
    require(spec.get("replicas") == 1, f"{where}: a county's StatefulSet has one replica")
    pod = spec["template"]
    labels = pod["metadata"]["labels"]
    (container,) = [c for c in pod["spec"]["containers"] if c["name"] == "duband"]
    ports = {p.get("name"): p["containerPort"] for p in container.get("ports", [])}
    require({"grpc", "metrics"} <= ports.keys(), f"{where}: ports grpc and metrics are needed")
    flags, volumes = duband_flags(statefulset, container, documents, where)

    require(port_of(flags.get("listen", "")) == ports["grpc"],
            f"{where}: --listen={flags.get('listen')} is not the grpc port {ports['grpc']}")
    require(port_of(flags.get("metrics_listen", ":0")) == ports["metrics"],
            f"{where}: --metrics_listen={flags.get('metrics_listen')} is not the metrics port")
    check_probes(container, flags, ports, where)

    mounts = container.get("volumeMounts", [])
    claims = {t["metadata"]["name"] for t in spec.get("volumeClaimTemplates", [])}
    data_mount = mount_of(flags.get("data", ""), mounts)
    require(data_mount and data_mount["name"] in claims,
            f"{where}: --data={flags.get('data')} is not on a volumeClaimTemplate's mount")
    for flag in SECRET_FILE_FLAGS:
        if flags.get(flag):
            mount = mount_of(flags[flag], mounts)
            require(mount and "secret" in volumes.get(mount["name"], {}),
                    f"{where}: --{flag}={flags[flag]} is not on a Secret volume")

    services = [d for d in documents if d["kind"] == "Service"]
    governing = [s for s in services if s["metadata"]["name"] == spec.get("serviceName")]
    require(governing and governing[0]["spec"].get("clusterIP") == "None",
            f"{where}: serviceName {spec.get('serviceName')} is not a headless Service")
    for service in services:
        name = service["metadata"]["name"]
        selector = service["spec"].get("selector", {})
        require(selector and selector.items() <= labels.items(),
                f"{where}: Service {name} does not select duband's Pod")
        for port in service["spec"]["ports"]:
            require(port.get("targetPort") in ports or port.get("targetPort") in ports.values(),
                    f"{where}: Service {name} targets port {port.get('targetPort')}, "
                    "which duband does not have")

    check_cronjobs(documents, flags, mounts, claims, where)


def check_cronjobs(documents, flags, mounts, claims, where):
    jobs = {d["metadata"]["name"]: d for d in documents if d["kind"] == "CronJob"}
    commands = {}
    for name, job in jobs.items():
        (container,) = job["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"]
        commands[name] = container["command"]
        require(container["command"][0] == "/usr/local/bin/duban",
                f"{where}: CronJob {name} does not run /usr/local/bin/duban")
        if flags.get("tls_cert"):
            require(any(w.startswith("--ca") for w in container["command"]),
                    f"{where}: CronJob {name} calls a TLS duband without --ca")
    escalate = [n for n, c in commands.items() if "escalate" in c]
    backup = [n for n, c in commands.items() if c[-3:-1] == ["admin", "backup"]]
    require(len(escalate) == 1 and len(backup) == 1,
            f"{where}: expected one `duban escalate` and one `duban admin backup` CronJob")
    suspended = jobs[escalate[0]]["spec"].get("suspend", False)
    require(suspended == (flags.get("escalation", "on") == "on"),
            f"{where}: CronJob {escalate[0]} must be suspended exactly when duband runs "
            f"--escalation=on (it is {flags.get('escalation', 'on')}, suspend: {suspended})")
    directory = commands[backup[0]][-1]
    mount = mount_of(directory, mounts)
    require(mount and mount["name"] in claims and mount["name"] != mount_of(flags["data"], mounts)["name"],
            f"{where}: CronJob {backup[0]} backs up into {directory}, which is not on duband's "
            "own backup volume (duband writes the backup)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--k8s-dir", required=True)
    parser.add_argument("--kubectl", help="also check each overlay as kubectl kustomize builds it")
    args = parser.parse_args()

    files = yaml_files(args.k8s_dir)
    for path in files:
        load_yaml_file(path)
    kustomizations = sorted(os.path.dirname(p) for p in files
                            if os.path.basename(p) == "kustomization.yaml")
    base = os.path.join(args.k8s_dir, "base")
    require(base in kustomizations, f"no {base}/kustomization.yaml")
    counties = 0
    for directory in kustomizations:
        documents = kustomization_resources(directory)
        if directory == base:
            check_county(documents, os.path.relpath(directory, args.k8s_dir))
            counties += 1
        elif args.kubectl:
            built = subprocess.run([args.kubectl, "kustomize", directory], capture_output=True,
                                   text=True, timeout=120)
            require(built.returncode == 0, f"kubectl kustomize {directory}: {built.stderr}")
            check_county([d for d in yaml.safe_load_all(built.stdout) if d],
                         f"kubectl kustomize {os.path.relpath(directory, args.k8s_dir)}")
            counties += 1
    print(f"OK: {len(files)} YAML files, {len(kustomizations)} kustomizations; "
          f"{counties} built county manifests fit together")


if __name__ == "__main__":
    run_check(main)
