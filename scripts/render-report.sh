#!/bin/sh
# Renders a `retort report` HTML file to a PNG with headless Chromium, as a reader at 1280 px sees
# it: a visual check that charts and labels are readable. Needs the Debian package `chromium`
# (or $CHROMIUM pointing at a Chrome/Chromium binary).
#
#   scripts/render-report.sh <report.html> <out.png> [height-px] [offset-px]
#
# height-px: how much of the page is captured (default 3000; Chromium's command line cannot size
# the window to the page). offset-px: start that far down the page instead of at the top, to look
# at a later section at full size (the page is then shown in a frame scrolled by that much).
set -eu

if [ $# -lt 2 ] || [ $# -gt 4 ]; then
    echo "usage: $0 <report.html> <out.png> [height-px] [offset-px]" >&2
    exit 2
fi
html=$1
png=$2
height=${3:-3000}
offset=${4:-0}
width=${RETORT_RENDER_WIDTH:-1280}

if [ ! -f "$html" ]; then
    echo "error: $html is not a file; write one with: retort report <run-dir> -o $html" >&2
    exit 2
fi
for number in "$height" "$offset"; do
    case $number in
        ''|*[!0-9]*) echo "error: height and offset must be numbers of pixels, got '$number'" >&2; exit 2 ;;
    esac
done

browser=${CHROMIUM:-}
if [ -z "$browser" ]; then
    for candidate in chromium chromium-browser google-chrome google-chrome-stable; do
        if command -v "$candidate" >/dev/null 2>&1; then
            browser=$candidate
            break
        fi
    done
fi
if [ -z "$browser" ]; then
    echo "error: no Chromium found; install it with: sudo apt-get update && sudo apt-get install -y chromium (or set CHROMIUM)" >&2
    exit 3
fi

dir=$(cd "$(dirname "$html")" && pwd)
url="file://$dir/$(basename "$html")"
case $png in
    /*) out=$png ;;
    *) out="$(pwd)/$png" ;;
esac
mkdir -p "$(dirname "$out")"

# A throwaway profile: no state shared with a desktop browser or another render running at once.
profile=$(mktemp -d "${TMPDIR:-/tmp}/retort-render.XXXXXX")
trap 'rm -rf "$profile"' EXIT INT TERM
rm -f "$out"
if [ "$offset" -gt 0 ]; then
    # Headless Chromium paints nothing when it scrolls itself, so the frame is moved instead.
    frame="$profile/frame.html"
    printf '<!DOCTYPE html><html><body style="margin:0;overflow:hidden"><iframe src="%s" style="border:0;display:block;width:%spx;height:%spx;margin-top:-%spx"></iframe></body></html>' \
        "$url" "$width" "$((height + offset))" "$offset" >"$frame"
    url="file://$frame"
fi

run() {
    if command -v timeout >/dev/null 2>&1; then timeout 120 "$@"; else "$@"; fi
}
# --no-sandbox: Chromium refuses to start as root with its sandbox (containers, CI).
run "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
    --no-first-run --disable-extensions --user-data-dir="$profile" \
    --window-size="$width,$height" --screenshot="$out" "$url" >"$profile/log" 2>&1 || true

if [ ! -s "$out" ]; then
    echo "error: Chromium wrote no screenshot; its output:" >&2
    cat "$profile/log" >&2
    exit 1
fi
echo "$out"
