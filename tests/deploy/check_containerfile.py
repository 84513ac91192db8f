"""Checks deploy/container/Containerfile as far as can be done without a
container engine:

  - every stage is FROM debian:12; nothing is fetched but by apt-get;
  - the build stage installs exactly scripts/install-deps' packages minus the
    test-only ones below;
  - it COPYs only paths that exist and that Containerfile.dockerignore lets in;
  - the runtime stage copies duband and duban from where CMake builds them;
  - a `console` stage, if any, builds the web console with Debian's Node.js
    (`npm ci` from the lock file) and the runtime stage serves what it built;
  - runtime-packages, which picks the runtime stage's packages, works on the
    built binaries;
  - the image runs as a non-root user, with the --data directory a VOLUME
    and the gRPC and metrics ports EXPOSEd.

  check_containerfile.py --repo ROOT --build-dir DIR --duband PATH --duban PATH
"""

import argparse
import json
import os
import re
import subprocess

from deploy_files import (containerfile_instructions, flagfile_words, load_yaml_file, parse_flags,
                          port_of, require, run_check)

# In scripts/install-deps for the tests only: the image builds without them.
TEST_ONLY = {
    "clang", "lld", "libclang-rt-14-dev",  # fuzzing (tests/fuzz)
    "openssl",  # certificates in the TLS tests
    "python3", "python3-grpcio", "python3-protobuf", "python3-yaml",  # tests/python, tests/deploy
    "systemd",  # systemd-analyze, tests/deploy
    "nodejs",  # the Connect conformance test (tests/connect)
}


def install_deps_packages(repo):
    with open(os.path.join(repo, "scripts", "install-deps"), encoding="utf-8") as file:
        listed = re.search(r"^packages=\((.*?)^\)", file.read(), re.M | re.S)
    require(listed, "scripts/install-deps: no packages=( ... ) list")
    return set(listed.group(1).split())


def apt_packages(run_arguments):
    """The packages of the `apt-get install` in a RUN."""
    install = re.search(r"apt-get install ([^&|;]*)", run_arguments)
    if not install:
        return set()
    return {word for word in install.group(1).split() if not word.startswith("-")}


def let_in(ignore_file, source):
    """Whether Containerfile.dockerignore (`*`, then `!path` exceptions) lets `source` in."""
    with open(ignore_file, encoding="utf-8") as file:
        allowed = [line.strip()[1:].rstrip("/") for line in file if line.strip().startswith("!")]
    return any(source == path or source.startswith(path + "/") for path in allowed)


def stages(instructions):
    """[(FROM arguments, [instructions of the stage])]"""
    found = []
    for keyword, arguments in instructions:
        if keyword == "FROM":
            found.append((arguments, []))
        else:
            require(found, f"{keyword} before FROM")
            found[-1][1].append((keyword, arguments))
    return found


def check_build_stage(instructions, repo, ignore_file):
    packages = set()
    for keyword, arguments in instructions:
        if keyword == "RUN":
            packages |= apt_packages(arguments)
        if keyword == "COPY" and not arguments.startswith("--from"):
            *sources, _ = arguments.split()
            for source in sources:
                require(os.path.exists(os.path.join(repo, source)),
                        f"COPY {source}: no such path in the repository")
                require(let_in(ignore_file, source), f"COPY {source}: "
                        f"{os.path.basename(ignore_file)} keeps it out of the build context")
    wanted = install_deps_packages(repo) - TEST_ONLY
    require(packages == wanted, "the build stage's packages are not scripts/install-deps' minus "
            f"the test-only ones: missing {sorted(wanted - packages)}, "
            f"extra {sorted(packages - wanted)}")


def check_runtime_stage(instructions, build_dir, binaries, metrics_port):
    copied = [arguments.split()[1:-1] for keyword, arguments in instructions
              if keyword == "COPY" and arguments.startswith("--from=build")]
    copied = {path for paths in copied for path in paths}
    for binary in binaries:
        where = "/src/build/" + os.path.relpath(binary, build_dir)
        require(where in copied, f"the runtime stage does not copy {where} from the build stage "
                f"(copies {sorted(copied)})")
    settings = {}
    for keyword, arguments in instructions:
        settings.setdefault(keyword, []).append(arguments)
    user = settings.get("USER", ["root"])[-1].split(":")[0]
    require(user not in ("root", "0"), f"the image runs as {user}")
    entrypoint = json.loads(settings["ENTRYPOINT"][-1])
    flags = parse_flags(entrypoint)
    volumes = json.loads(settings["VOLUME"][-1]) if settings.get("VOLUME") else []
    require(flags.get("data") in volumes, f"--data={flags.get('data')} is not a VOLUME {volumes}")
    exposed = {int(port) for line in settings.get("EXPOSE", []) for port in line.split()}
    require({port_of(flags["listen"]), metrics_port} <= exposed,
            f"EXPOSE {sorted(exposed)} lacks the gRPC port of --listen={flags['listen']} or the "
            f"metrics port {metrics_port}")


def check_runtime_packages(script, binaries):
    run = subprocess.run([script, *binaries], capture_output=True, text=True, timeout=120)
    require(run.returncode == 0, f"runtime-packages fails: {run.stderr}")
    packages = run.stdout.split()
    for library in ("librocksdb", "libgrpc++", "libprotobuf"):
        require(any(p.startswith(library) for p in packages),
                f"runtime-packages names no {library} package: {packages}")


CONSOLE_PACKAGES = {"nodejs", "npm", "protobuf-compiler", "golang-github-gogo-googleapis-dev"}


def check_console_stage(console, runtime_instructions, repo, ignore_file):
    """The web console: Debian's Node.js, the locked npm packages, and the
    runtime stage's --console_dir pointing at what the stage built."""
    packages = set()
    runs = []
    for keyword, arguments in console:
        if keyword == "RUN":
            packages |= apt_packages(arguments)
            runs.append(arguments)
        if keyword == "COPY":
            *sources, _ = arguments.split()
            for source in sources:
                require(os.path.exists(os.path.join(repo, source)),
                        f"COPY {source}: no such path in the repository")
                require(let_in(ignore_file, source), f"COPY {source}: "
                        f"{os.path.basename(ignore_file)} keeps it out of the build context")
    require(packages == CONSOLE_PACKAGES, f"the console stage installs {sorted(packages)}, "
            f"not {sorted(CONSOLE_PACKAGES)}")
    require(any("npm ci" in run for run in runs), "the console stage does not `npm ci`")
    copied = [arguments.split() for keyword, arguments in runtime_instructions
              if keyword == "COPY" and arguments.startswith("--from=console")]
    require(copied, "the runtime stage copies nothing from the console stage")
    target = copied[-1][-1]
    entrypoint = [json.loads(arguments) for keyword, arguments in runtime_instructions
                  if keyword == "ENTRYPOINT"][-1]
    require(parse_flags(entrypoint).get("console_dir") == target,
            f"--console_dir is not {target}, where the console is copied")


def main():
    parser = argparse.ArgumentParser()
    for flag in ("--repo", "--build-dir", "--duband", "--duban"):
        parser.add_argument(flag, required=True)
    args = parser.parse_args()
    container_dir = os.path.join(args.repo, "deploy", "container")
    instructions = containerfile_instructions(os.path.join(container_dir, "Containerfile"))

    for keyword, arguments in instructions:
        require(keyword != "ADD", "ADD: use COPY (and nothing from the network)")
        require(not (keyword == "RUN" and re.search(r"\b(curl|wget|git|pip)\b", arguments)),
                f"RUN fetches something without apt: {arguments}")
    found = stages(instructions)
    build, runtime = found[0], found[-1]
    consoles = [stage for stage in found[1:-1] if stage[0].split()[-1] == "console"]
    require(len(found) == 2 + len(consoles), "stages other than build, console and runtime")
    for base, _ in found:
        require(base.split()[0] == "debian:12", f"FROM {base}: stages build on debian:12")
    require(build[0].split()[-1] == "build", "the first stage is not `AS build`")

    (config_map,) = load_yaml_file(os.path.join(args.repo, "deploy", "k8s", "base",
                                                "configmap.yaml"))
    metrics = parse_flags(flagfile_words(config_map["data"]["duband.flags"]))["metrics_listen"]
    binaries = [args.duband, args.duban]
    check_build_stage(build[1], args.repo,
                      os.path.join(container_dir, "Containerfile.dockerignore"))
    check_runtime_stage(runtime[1], args.build_dir, binaries, port_of(metrics))
    for console in consoles:
        check_console_stage(console[1], runtime[1], args.repo,
                            os.path.join(container_dir, "Containerfile.dockerignore"))
    check_runtime_packages(os.path.join(container_dir, "runtime-packages"), binaries)
    print("OK: the Containerfile fits the repository, scripts/install-deps and the build")


if __name__ == "__main__":
    run_check(main)
