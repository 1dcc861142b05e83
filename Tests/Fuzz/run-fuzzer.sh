#!/usr/bin/env bash
# Fuzzes the bundle decoder with libFuzzer for SECONDS (default 60), starting from the protocol's
# test vectors and the saved corpus. Usage: Tests/Fuzz/run-fuzzer.sh [SECONDS]
# Each input is decoded with the vector keys (Protocol/vectors/v2/keys.json) as it is, and
# re-sealed and re-signed so that mutations reach the header and payload parsers.
# New inputs that reach new code are kept in Tests/Fuzz/corpus (commit the interesting ones, after
# minimising: parta-fuzz -merge=1 NEW_FOLDER Tests/Fuzz/corpus); a crash leaves a crash-* file in
# the current folder and a non-zero exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-60}"
swift build -c release --scratch-path .build-fuzz --product parta-fuzz \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -parse-as-library
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p Tests/Fuzz/corpus "$work/seeds"
cp Protocol/vectors/v2/*.bin "$work/seeds/"
.build-fuzz/release/parta-fuzz -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
  Tests/Fuzz/corpus "$work/seeds"
