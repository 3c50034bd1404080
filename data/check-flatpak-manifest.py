#!/usr/bin/env python3
"""Check the Flatpak manifest: it must parse with flatpak-builder and keep the keys that
Flathub and the sandbox depend on.

Usage: check-flatpak-manifest.py MANIFEST
Exits 77 (skipped) when flatpak-builder is not installed, 1 on any problem.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

APP_ID = "io.stompy.Connect"

# The sandbox is exactly this: network for AWS and Stompy, a display, GPU for GTK's renderer.
# The keyring is reached through the Secret portal, which needs no hole (libsecret >= 0.20).
EXPECTED_FINISH_ARGS = [
    "--share=network",
    "--share=ipc",
    "--socket=wayland",
    "--socket=fallback-x11",
    "--device=dri",
]

# The GNOME runtime already ships these; bundling them again would shadow the runtime's copy.
RUNTIME_PROVIDED = ("gtk", "libadwaita", "libsoup", "json-glib", "libsecret", "glib")


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    manifest_path = os.path.abspath(sys.argv[1])

    builder = shutil.which("flatpak-builder")
    if builder is None:
        print("SKIP: flatpak-builder is not installed")
        return 77

    # flatpak-builder creates a .flatpak-builder state directory in the working directory;
    # keep it out of the source tree.
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.run(
            [builder, "--show-manifest", manifest_path],
            cwd=tmp, capture_output=True, text=True, check=False,
        )
    if proc.returncode != 0:
        print(f"flatpak-builder --show-manifest failed ({proc.returncode}):\n{proc.stderr[:2000]}")
        return 1
    manifest = json.loads(proc.stdout)

    problems = []

    def expect(key, value):
        if manifest.get(key) != value:
            problems.append(f"{key} is {manifest.get(key)!r}, expected {value!r}")

    # flatpak-builder normalises app-id to id.
    expect("id", APP_ID)
    expect("runtime", "org.gnome.Platform")
    expect("sdk", "org.gnome.Sdk")
    expect("command", "stompy-connect")

    runtime_version = manifest.get("runtime-version")
    if not isinstance(runtime_version, str) or not runtime_version.isdigit():
        problems.append(f"runtime-version {runtime_version!r} is not a stable GNOME release")

    if manifest.get("finish-args") != EXPECTED_FINISH_ARGS:
        problems.append(f"finish-args are {manifest.get('finish-args')!r}, "
                        f"expected exactly {EXPECTED_FINISH_ARGS!r}")

    modules = manifest.get("modules") or []
    if len(modules) != 1:
        problems.append(f"expected one module, found {len(modules)}")
    for module in modules:
        if not isinstance(module, dict):
            problems.append(f"module {module!r} is not inline")
            continue
        name = module.get("name", "")
        if any(name.startswith(p) for p in RUNTIME_PROVIDED):
            problems.append(f"module {name!r} is already in the GNOME runtime")
    if len(modules) == 1 and isinstance(modules[0], dict):
        module = modules[0]
        if module.get("name") != "stompy-connect":
            problems.append(f"module name is {module.get('name')!r}")
        if module.get("buildsystem") != "meson":
            problems.append(f"module buildsystem is {module.get('buildsystem')!r}")
        if "-Dbuildtype=release" not in (module.get("config-opts") or []):
            problems.append("module config-opts lack -Dbuildtype=release")
        sources = module.get("sources") or []
        if not (len(sources) == 1 and sources[0].get("type") == "dir"
                and sources[0].get("path") == ".."):
            problems.append(f"module sources are {sources!r}, expected the local checkout")
        else:
            # The source is the directory that contains the manifest's directory.
            root = os.path.normpath(os.path.join(os.path.dirname(manifest_path), ".."))
            if not os.path.isfile(os.path.join(root, "meson.build")):
                problems.append(f"{root} (the module's source) has no meson.build")

    for problem in problems:
        print(f"FAIL: {problem}")
    if problems:
        return 1
    print(f"ok: {manifest_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
