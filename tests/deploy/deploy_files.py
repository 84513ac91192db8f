"""Reading the files of deploy/ for the checks in this directory."""

import os
import shlex
import sys

import yaml


class CheckFailed(Exception):
    """A deploy file breaks a rule; the message says which and why."""


def run_check(main):
    """Runs a check's main(): a CheckFailed is printed as FAIL and exits 1."""
    try:
        main()
    except CheckFailed as failure:
        print(f"FAIL: {failure}", file=sys.stderr)
        sys.exit(1)


def require(condition, message):
    if not condition:
        raise CheckFailed(message)


def parse_flags(words):
    """['--a=1', '--b', 'x'] → {'a': '1', 'b': ''}: duband's flags (--flag=value
    or --switch), names with hyphens turned into underscores. Other words are
    ignored."""
    flags = {}
    for word in words:
        if not word.startswith("--"):
            continue
        name, _, value = word[2:].partition("=")
        flags[name.replace("-", "_")] = value
    return flags


def flagfile_words(text):
    """The flag lines of a flagfile, without comments and blank lines."""
    return [line.strip() for line in text.splitlines()
            if line.strip() and not line.strip().startswith("#")]


# duband's --memory_budget when none is given (storage/memory_budget.h).
DEFAULT_MEMORY_BUDGET = 512 * 2**20


def byte_size(text):
    """An amount of bytes as duband's --memory_budget and systemd's Memory*=
    take it (512MiB, 512M, 1GiB, 65536: K, M, G, T binary) or as Kubernetes
    writes memory (512Mi), in bytes."""
    text = str(text).strip()
    digits = len(text) - len(text.lstrip("0123456789"))
    require(digits > 0, f"{text!r} is not an amount of bytes")
    unit = text[digits:].strip().lower().removesuffix("b").removesuffix("i")
    shifts = {"": 0, "k": 10, "m": 20, "g": 30, "t": 40}
    require(unit in shifts, f"{text!r} has an unknown unit")
    return int(text[:digits]) << shifts[unit]


def memory_high_for(budget):
    """Where a systemd unit starts reclaiming from duband: an eighth above its
    budget, as the page cache is charged to the unit too."""
    return budget * 9 // 8


def memory_limit_for(budget):
    """What deploy/ limits duband's memory to: a quarter above its budget, for
    the page cache a container or unit is charged and the calls in flight."""
    return budget * 5 // 4


def port_of(address):
    return int(address.rsplit(":", 1)[1])


def load_yaml_file(path):
    """Every document of a YAML file; each must be a mapping with apiVersion,
    kind and metadata.name."""
    with open(path, encoding="utf-8") as file:
        try:
            documents = [doc for doc in yaml.safe_load_all(file) if doc is not None]
        except yaml.YAMLError as error:
            raise CheckFailed(f"{path}: not YAML: {error}")
    for doc in documents:
        require(isinstance(doc, dict), f"{path}: a document is not a mapping")
        for key in ("apiVersion", "kind"):
            require(isinstance(doc.get(key), str) and doc[key], f"{path}: no {key}")
        name = (doc.get("metadata") or {}).get("name")
        require(isinstance(name, str) and name, f"{path}: {doc['kind']} without metadata.name")
    return documents


def yaml_files(directory):
    return sorted(os.path.join(root, name) for root, _, names in os.walk(directory)
                  for name in names if name.endswith((".yaml", ".yml")))


def kustomization_resources(directory):
    """The documents a kustomization directory lists under `resources`
    (recursively, patches not applied), checking that its paths exist and
    that each patch names a resource it has."""
    path = os.path.join(directory, "kustomization.yaml")
    (kustomization,) = load_yaml_file(path)
    documents = []
    for resource in kustomization.get("resources", []):
        target = os.path.normpath(os.path.join(directory, resource))
        require(os.path.exists(target), f"{path}: resource {resource} does not exist")
        if os.path.isdir(target):
            documents += kustomization_resources(target)
        else:
            documents += load_yaml_file(target)
    for patch in kustomization.get("patches", []):
        patch_path = os.path.join(directory, patch["path"])
        require(os.path.exists(patch_path), f"{path}: patch {patch['path']} does not exist")
        for doc in load_yaml_file(patch_path):
            require(any(d["kind"] == doc["kind"] and d["metadata"]["name"] == doc["metadata"]["name"]
                        for d in documents),
                    f"{patch_path}: patches {doc['kind']} {doc['metadata']['name']}, "
                    "which the kustomization does not have")
    return documents


def containerfile_instructions(path):
    """(INSTRUCTION, arguments) pairs of a Containerfile: comments dropped,
    continuation lines joined."""
    instructions, pending = [], ""
    with open(path, encoding="utf-8") as file:
        for line in file:
            stripped = line.strip()
            if not pending and (not stripped or stripped.startswith("#")):
                continue
            if stripped.startswith("#"):
                continue
            if stripped.endswith("\\"):
                pending += stripped[:-1] + " "
                continue
            full = pending + stripped
            pending = ""
            keyword, _, arguments = full.partition(" ")
            instructions.append((keyword.upper(), arguments.strip()))
    return instructions


def unit_settings(path):
    """{(section, key): [values]} of a systemd unit file."""
    settings, section = {}, None
    with open(path, encoding="utf-8") as file:
        for line in file:
            line = line.strip()
            if not line or line.startswith(("#", ";")):
                continue
            if line.startswith("["):
                section = line.strip("[]")
                continue
            key, _, value = line.partition("=")
            settings.setdefault((section, key.strip()), []).append(value.strip())
    return settings


def exec_start_words(path):
    return shlex.split(unit_settings(path)[("Service", "ExecStart")][0])
