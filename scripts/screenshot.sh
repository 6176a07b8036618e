#!/bin/sh
# Render the report figures to PNG so they can be looked at (and checked not blank).
#
#   scripts/screenshot.sh [REPORT_DIR ...]      default: every build/*/report
#
# For each REPORT_DIR: every *.svg → REPORT_DIR/png/<name>.png, 800 px wide (rsvg-convert),
# and, if a Chromium is installed, index.html → REPORT_DIR/png/index.png (headless, 1000 px
# wide). A PNG that is hardly larger than the PNG of an empty white image of the same width
# counts as blank and fails the script. Exit status: 0 ok, 1 a blank or failed render,
# 66 no report folder, 69 rsvg-convert missing.
set -eu

command -v rsvg-convert >/dev/null 2>&1 || { echo "screenshot: rsvg-convert not found (apt-get install librsvg2-bin)" >&2; exit 69; }

if [ "$#" -eq 0 ]; then
    set -- build/*/report
fi

chromium=""
for c in chromium chromium-browser google-chrome google-chrome-stable; do
    if command -v "$c" >/dev/null 2>&1; then chromium=$c; break; fi
done

size() { wc -c < "$1" | tr -d ' '; }

status=0
found=0
for dir in "$@"; do
    [ -d "$dir" ] || continue
    found=1
    out="$dir/png"
    mkdir -p "$out"
    blank="$out/.blank.png"
    printf '<svg xmlns="http://www.w3.org/2000/svg" width="800" height="500"><rect width="800" height="500" fill="white"/></svg>' \
        | rsvg-convert -w 800 -o "$blank"
    blank_size=$(size "$blank")
    for svg in "$dir"/*.svg; do
        [ -e "$svg" ] || continue
        png="$out/$(basename "$svg" .svg).png"
        if ! rsvg-convert -w 800 "$svg" -o "$png"; then
            echo "screenshot: FAILED $svg" >&2; status=1; continue
        fi
        s=$(size "$png")
        if [ "$s" -lt $((blank_size * 8)) ]; then
            echo "screenshot: BLANK? $png ($s bytes; an empty image is $blank_size)" >&2; status=1
        else
            echo "$png ($s bytes)"
        fi
    done
    rm -f "$blank"
    if [ -n "$chromium" ] && [ -f "$dir/index.html" ]; then
        page="$(cd "$dir" && pwd)/index.html"
        if "$chromium" --headless --disable-gpu --no-sandbox --hide-scrollbars --window-size=1000,6000 \
            --screenshot="$out/index.png" "file://$page" >/dev/null 2>&1; then
            echo "$out/index.png ($(size "$out/index.png") bytes)"
        else
            echo "screenshot: chromium could not render $page" >&2; status=1
        fi
    elif [ -f "$dir/index.html" ]; then
        echo "screenshot: no Chromium found; index.html not rendered (its figures are the SVGs above)" >&2
    fi
done

[ "$found" -eq 1 ] || { echo "screenshot: no report folder (run nmm report first)" >&2; exit 66; }
exit "$status"
