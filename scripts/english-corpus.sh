#!/usr/bin/env bash
# Builds an English text corpus from Debian's "fortunes" and "fortunes-min" packages (quotations,
# proverbs, jokes): one text per line, 20 to 300 characters, deduplicated, shuffled with a fixed
# seed, split into train.txt (all but 500) and heldout.txt (500). No root needed: the packages are
# downloaded with apt-get download and unpacked into the output folder.
# Usage: scripts/english-corpus.sh [OUT_DIR]   (default: target/corpus)
set -euo pipefail
out="${1:-target/corpus}"
mkdir -p "$out/deb"
out="$(cd "$out" && pwd)"
(cd "$out/deb" && apt-get download fortunes fortunes-min >/dev/null 2>&1) \
    || { echo "english-corpus.sh: apt-get download fortunes fortunes-min failed" >&2; exit 1; }
for deb in "$out"/deb/*.deb; do
    dpkg-deb -x "$deb" "$out/deb/root"
done
# a fortune is the text between lines holding only "%"; join its lines, squeeze blanks
find "$out/deb/root/usr/share/games/fortunes" -type f ! -name '*.dat' ! -name '*.u8' -print0 \
    | xargs -0 cat \
    | awk 'BEGIN { RS = "\n%\n" } { gsub(/[ \t\r\n]+/, " "); sub(/^ /, ""); sub(/ $/, ""); if (length($0) >= 20 && length($0) <= 300) print }' \
    | LC_ALL=C sort -u \
    | shuf --random-source=<(yes) > "$out/all.txt"
total=$(wc -l < "$out/all.txt")
head -n 500 "$out/all.txt" > "$out/heldout.txt"
tail -n +501 "$out/all.txt" > "$out/train.txt"
echo "$out: $((total - 500)) training and 500 held-out texts"
