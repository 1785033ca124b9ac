#!/usr/bin/env bash
# Captures the "real program" example: Debian's sort(1) sorting 200,000 lines,
# traced with Debian's strace, its own smaps read at the start and at the end.
# Run on the project's Linux 6.18 machine (needs gcc, strace, coreutils):
#   bash scripts/real-program/capture.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$here/../../public/scenarios/real-program
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

gcc -O2 -Wall -Werror -shared -fPIC -o "$work/shim.so" "$here/dump-smaps-shim.c"
seq 200000 | sort -R --random-source=<(yes) > "$work/input.txt"

# -E sets the environment of the traced program only: with LD_PRELOAD on
# strace itself, strace's own exit would overwrite end.smaps with its maps.
strace -f -tt -e trace=memory,openat,open,close -o "$work/full.strace" \
  -E VMA_EXPLORER_START="$work/start.smaps" -E VMA_EXPLORER_END="$work/end.smaps" \
  -E LD_PRELOAD="$work/shim.so" \
  sort -n -o "$work/sorted.txt" "$work/input.txt"

# Keep the calls between the shim's two reads of /proc/self/smaps: the
# program's own work, which replays from start.smaps to end.smaps. The first
# three calls after the first read are the shim's own (it opens its output
# file and closes both files): they are left out too.
{
  echo "# A real program: Debian's sort(1) sorting 200,000 numbers, traced with"
  echo "# strace -f -tt -e trace=memory,openat,open,close on Linux 6.18."
  echo "# These are the calls between the program's own reads of /proc/self/smaps"
  echo "# (sort.start.smaps and sort.end.smaps). Replay them from the start state:"
  echo "#   npx vma-explorer run sort.strace --from sort.start.smaps --pid all --format smaps"
  echo "# and compare with sort.end.smaps (--pid all: sort's second pid is a thread,"
  echo "# sharing the address space). Made by scripts/real-program/capture.sh."
  awk '/openat\(.*"\/proc\/self\/smaps"/ { n++; next } n == 1 && skip < 3 { skip++; next } n == 1' \
    "$work/full.strace"
} > "$out/sort.strace"
cp "$work/start.smaps" "$out/sort.start.smaps"
cp "$work/end.smaps" "$out/sort.end.smaps"
{ strace -V | head -1; uname -r; sort --version | head -1; } > "$out/CAPTURED-WITH"
wc -l "$out"/sort.*
