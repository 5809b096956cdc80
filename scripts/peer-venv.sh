#!/usr/bin/env bash
# Makes a throwaway virtualenv for a benchmark's Python peer and installs its packages there, so the
# system Python stays as it was. Usage: peer-venv.sh <directory> <package>...
# A failed install leaves the venv without them; the peer script then says it skipped.
set -uo pipefail
directory=$1
shift
[[ -x "$directory/bin/python" ]] || python3 -m venv "$directory" || { echo "peer-venv: cannot create $directory" >&2; exit 1; }
if ! "$directory/bin/python" -c "import $(IFS=,; echo "$*")" 2>/dev/null; then
    specs=()
    for package in "$@"; do
        # torch: a CPU-only build when the index or a find-links directory offers one (the default
        # Linux wheel pulls gigabytes of CUDA libraries a CPU benchmark does not use)
        if [[ "$package" == torch ]]; then
            cpu=$("$directory/bin/pip" index versions torch 2>/dev/null | sed -n 's/^Available versions: //p' | tr ',' '\n' \
                  | tr -d ' ' | grep '+cpu$' | head -1)
            [[ -n "$cpu" ]] && package="torch==$cpu"
        fi
        specs+=("$package")
    done
    echo "peer-venv: installing ${specs[*]} into $directory"
    "$directory/bin/pip" install --quiet --disable-pip-version-check "${specs[@]}" \
        || echo "peer-venv: could not install $* (the peer will be skipped)" >&2
fi
exit 0
