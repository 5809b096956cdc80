#!/usr/bin/env bash
# Installs the system libraries Retort builds against (Debian packages), only if missing.
# Runs as root (CI, containers) or through sudo. On macOS, Accelerate and the system libffi
# are used and nothing is installed.
set -euo pipefail

if [[ "$(uname -s)" == "Darwin" ]]; then
    echo "setup: macOS uses Accelerate and the system libffi; nothing to install."
    exit 0
fi

packages=(pkg-config libffi-dev libopenblas-dev libdnnl-dev libsqlite3-dev)
missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
    echo "setup: system packages present (${packages[*]})."
    exit 0
fi

sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null; then
        sudo_cmd=(sudo)
    else
        echo "setup: missing Debian packages: ${missing[*]}; run as root: apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
fi
echo "setup: installing ${missing[*]}"
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}"
