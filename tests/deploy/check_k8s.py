"""Checks deploy/k8s: every file is YAML whose documents have apiVersion,
kind and metadata.name; every kustomization's resources and patches exist;
and one county's manifests fit together — the base as written, and with
--kubectl, each county overlay as `kubectl kustomize` builds it:

  - two StatefulSets of one replica each: the primary (no --replica_of) and
    its replica (--replica_of), each governed by a headless Service that
    selects its Pod, their selectors apart;
  - for each, duband's --flagfile is a key of the ConfigMap mounted there;
  - --listen and --metrics_listen use the container ports named grpc and
    metrics; each Service selects one of the two Pods and targets its ports;
  - startup, readiness and liveness probes are the kubelet's native gRPC
    probe: of the health-only port (--health_listen, plaintext) when duband
    serves TLS, which the probe cannot speak; of it or the gRPC port
    otherwise;
  - --data lies on a volumeClaimTemplate's mount; TLS files, principals,
    keys, the replication token and CA come from Secret volumes;
  - the replica's --replica_of is the primary's Pod by its headless Service
    and grpc port, the primary's --fence_with names the replica's Pod the
    same way (and the replica's, if any, the primary's); the replica has no
    --principals; both have a --replication_token_file, and a
    --replication_ca when the peer they dial serves TLS; both run the same
    --escalation; the replica's volumes are as large as the primary's;
    NetworkPolicies let each reach the other's grpc port;
  - the backup CronJob backs up into the primary's backup volume's mount,
    the escalation CronJob is suspended exactly when --escalation=on, both
    call a Service of the primary, and both pass --ca when duband serves TLS.

  check_k8s.py --k8s-dir deploy/k8s [--kubectl PATH]
"""

import argparse
import os
import subprocess

import yaml

from deploy_files import (DEFAULT_MEMORY_BUDGET, byte_size, memory_limit_for, flagfile_words, kustomization_resources, load_yaml_file, parse_flags,
                          port_of, require, run_check, yaml_files)

SECRET_FILE_FLAGS = ("tls_cert", "tls_key", "tls_client_ca", "principals", "audit_key",
                     "replication_token_file", "replication_ca")


class Server:
    """One duband StatefulSet as the checks see it."""

    def __init__(self, statefulset, documents, where):
        self.name = statefulset["metadata"]["name"]
        self.where = f"{where}: StatefulSet {self.name}"
        self.spec = statefulset["spec"]
        self.service_name = self.spec.get("serviceName")
        self.labels = self.spec["template"]["metadata"]["labels"]
        (self.container,) = [c for c in self.spec["template"]["spec"]["containers"]
                             if c["name"] == "duband"]
        self.ports = {p.get("name"): p["containerPort"] for p in self.container.get("ports", [])}
        self.flags, self.volumes = duband_flags(statefulset, self.container, documents, self.where)
        self.mounts = self.container.get("volumeMounts", [])
        self.claims = {t["metadata"]["name"] for t in self.spec.get("volumeClaimTemplates", [])}

    def pod_dns(self):
        """The Pod's stable name through its governing Service (without the
        namespace)."""
        return f"{self.name}-0.{self.service_name}"

    def names_pod(self, address):
        """Whether host:port `address` is this Pod's gRPC port by its stable
        name (namespace-qualified or not)."""
        host, _, port = address.strip().rpartition(":")
        return ((host == self.pod_dns() or host.startswith(self.pod_dns() + "."))
                and port == str(self.ports.get("grpc")))


def mount_of(path, mounts):
    """The volumeMount whose mountPath holds `path`, or None."""
    for mount in mounts:
        root = mount["mountPath"].rstrip("/")
        if path == root or path.startswith(root + "/"):
            return mount
    return None


def selects(selector, labels):
    """Whether a label selector (matchLabels, matchExpressions) selects `labels`."""
    if any(labels.get(key) != value for key, value in (selector.get("matchLabels") or {}).items()):
        return False
    for expression in selector.get("matchExpressions") or []:
        key, operator, values = expression["key"], expression["operator"], expression.get("values")
        if ((operator == "In" and labels.get(key) not in values)
                or (operator == "NotIn" and labels.get(key) in values)
                or (operator == "Exists" and key not in labels)
                or (operator == "DoesNotExist" and key in labels)):
            return False
    return True


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


def check_server(server, services):
    """The rules every duband StatefulSet keeps, primary or replica."""
    where, flags, ports = server.where, server.flags, server.ports
    require(server.spec.get("replicas") == 1, f"{where}: a duband StatefulSet has one replica")
    require(selects(server.spec.get("selector") or {}, server.labels),
            f"{where}: its selector does not select its Pod template's labels")
    require({"grpc", "metrics"} <= ports.keys(), f"{where}: ports grpc and metrics are needed")
    require(port_of(flags.get("listen", "")) == ports["grpc"],
            f"{where}: --listen={flags.get('listen')} is not the grpc port {ports['grpc']}")
    require(port_of(flags.get("metrics_listen", ":0")) == ports["metrics"],
            f"{where}: --metrics_listen={flags.get('metrics_listen')} is not the metrics port")
    check_probes(server.container, flags, ports, where)

    budget = byte_size(flags.get("memory_budget", DEFAULT_MEMORY_BUDGET))
    resources = server.container.get("resources", {})
    requested = (resources.get("requests") or {}).get("memory")
    limit = (resources.get("limits") or {}).get("memory")
    require(requested is not None and byte_size(requested) == budget,
            f"{where}: requests.memory {requested} is not --memory_budget ({budget >> 20}MiB)")
    require(limit is not None and byte_size(limit) == memory_limit_for(budget),
            f"{where}: limits.memory {limit} is not a quarter above --memory_budget "
            f"({memory_limit_for(budget) >> 20}Mi)")

    data_mount = mount_of(flags.get("data", ""), server.mounts)
    require(data_mount and data_mount["name"] in server.claims,
            f"{where}: --data={flags.get('data')} is not on a volumeClaimTemplate's mount")
    for flag in SECRET_FILE_FLAGS:
        if flags.get(flag):
            mount = mount_of(flags[flag], server.mounts)
            require(mount and "secret" in server.volumes.get(mount["name"], {}),
                    f"{where}: --{flag}={flags[flag]} is not on a Secret volume")

    governing = [s for s in services if s["metadata"]["name"] == server.service_name]
    require(governing and governing[0]["spec"].get("clusterIP") == "None",
            f"{where}: serviceName {server.service_name} is not a headless Service")
    require(governing[0]["spec"].get("selector", {}).items() <= server.labels.items(),
            f"{where}: its headless Service {server.service_name} does not select its Pod")


def quantity(text):
    """A Kubernetes storage quantity (20Gi, 500M, 1T) in bytes."""
    text = str(text)
    for suffix, factor in (("Ki", 2**10), ("Mi", 2**20), ("Gi", 2**30), ("Ti", 2**40),
                           ("Pi", 2**50), ("k", 10**3), ("M", 10**6), ("G", 10**9),
                           ("T", 10**12), ("P", 10**15)):
        if text.endswith(suffix):
            return float(text[:-len(suffix)]) * factor
    return float(text)


def claim_sizes(server):
    return {t["metadata"]["name"]: quantity(t["spec"]["resources"]["requests"]["storage"])
            for t in server.spec.get("volumeClaimTemplates", [])}


def check_replication(primary, replica, where):
    """The primary and its replica find each other."""
    require(not replica.flags.get("principals"),
            f"{replica.where}: a replica takes no --principals (it has the primary's; duband "
            "refuses both)")
    require(primary.names_pod(replica.flags["replica_of"]),
            f"{replica.where}: --replica_of={replica.flags['replica_of']} is not the primary's "
            f"Pod {primary.pod_dns()}:{primary.ports['grpc']}")
    fence_with = [a for a in primary.flags.get("fence_with", "").split(",") if a]
    require(any(replica.names_pod(address) for address in fence_with),
            f"{primary.where}: --fence_with={primary.flags.get('fence_with', '')} does not name "
            f"the replica's Pod {replica.pod_dns()}:{replica.ports['grpc']}")
    for server, peer in ((primary, replica), (replica, primary)):
        for address in [a for a in server.flags.get("fence_with", "").split(",") if a]:
            require(peer.names_pod(address),
                    f"{server.where}: --fence_with names {address}, not the county's other "
                    f"server {peer.pod_dns()}:{peer.ports['grpc']}")
        require(server.flags.get("replication_token_file"),
                f"{server.where}: no --replication_token_file (the REPLICA principal's token "
                "it presents to its peer)")
        dials = server is replica or server.flags.get("fence_with")
        if dials and peer.flags.get("tls_cert"):
            require(server.flags.get("replication_ca"),
                    f"{server.where}: its peer {peer.name} serves TLS: --replication_ca is needed")
    require(replica.flags.get("escalation", "on") == primary.flags.get("escalation", "on"),
            f"{replica.where}: --escalation differs from the primary's (a promoted replica "
            "would change how the county's escalations fire)")
    replica_sizes = claim_sizes(replica)
    for claim, size in claim_sizes(primary).items():
        require(replica_sizes.get(claim, 0) >= size,
                f"{replica.where}: its volumeClaimTemplate {claim} is smaller than the "
                "primary's (it holds the same store and, promoted, takes the backups)")


def check_network_policies(documents, primary, replica, where):
    """Each Pod admits the other to its gRPC port, if NetworkPolicies select it."""
    policies = [d for d in documents if d["kind"] == "NetworkPolicy"
                and "Ingress" in d["spec"].get("policyTypes", ["Ingress"])]
    for target, source in ((primary, replica), (replica, primary)):
        covering = [p for p in policies if selects(p["spec"].get("podSelector") or {},
                                                    target.labels)]
        if not covering:
            continue
        admitted = False
        for policy in covering:
            for rule in policy["spec"].get("ingress") or []:
                ports = [p.get("port") for p in rule.get("ports") or []]
                peers = rule.get("from") or []
                if ((not ports or "grpc" in ports or target.ports["grpc"] in ports)
                        and (not peers or any("podSelector" in peer and "namespaceSelector" not in peer
                                              and selects(peer["podSelector"] or {}, source.labels)
                                              for peer in peers))):
                    admitted = True
        require(admitted, f"{where}: no NetworkPolicy lets {source.name}'s Pod reach "
                f"{target.name}'s grpc port")


def check_county(documents, where):
    statefulsets = [d for d in documents if d["kind"] == "StatefulSet"]
    require(len(statefulsets) == 2,
            f"{where}: {len(statefulsets)} StatefulSets, expected two (the primary and its replica)")
    servers = [Server(s, documents, where) for s in statefulsets]
    services = [d for d in documents if d["kind"] == "Service"]
    for server in servers:
        check_server(server, services)
    primaries = [s for s in servers if not s.flags.get("replica_of")]
    replicas = [s for s in servers if s.flags.get("replica_of")]
    require(len(primaries) == 1 and len(replicas) == 1,
            f"{where}: expected one primary (no --replica_of) and one replica (--replica_of)")
    (primary,), (replica,) = primaries, replicas
    for server, other in ((primary, replica), (replica, primary)):
        require(not selects(server.spec.get("selector") or {}, other.labels),
                f"{server.where}: its selector selects {other.name}'s Pod too")

    primary_services = set()
    for service in services:
        name = service["metadata"]["name"]
        selector = service["spec"].get("selector", {})
        chosen = [s for s in servers if selector and selector.items() <= s.labels.items()]
        require(len(chosen) == 1, f"{where}: Service {name} selects "
                f"{'both' if chosen else 'neither'} of the primary's and the replica's Pods")
        if chosen[0] is primary:
            primary_services.add(name)
        for port in service["spec"]["ports"]:
            require(port.get("targetPort") in chosen[0].ports
                    or port.get("targetPort") in chosen[0].ports.values(),
                    f"{where}: Service {name} targets port {port.get('targetPort')}, "
                    f"which {chosen[0].name}'s duband does not have")

    check_replication(primary, replica, where)
    check_network_policies(documents, primary, replica, where)
    check_cronjobs(documents, primary, primary_services, where)


def check_cronjobs(documents, primary, primary_services, where):
    flags, mounts, claims = primary.flags, primary.mounts, primary.claims
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
        server = next((v.get("value", "") for v in container.get("env", [])
                       if v["name"] == "DUBAN_SERVER"), "")
        require(server.rpartition(":")[0].split(".")[0] in primary_services,
                f"{where}: CronJob {name} calls DUBAN_SERVER={server}, not a Service of the "
                f"primary ({', '.join(sorted(primary_services))})")
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
