#!/usr/bin/env bash
# Fuzzes the resolution reader (.docx, text) with libFuzzer for SECONDS (default 60), starting from the
# saved corpus Tests/Fuzz/docx-corpus. Usage: Tests/Fuzz/run-docx-fuzzer.sh [SECONDS]
# Each input is read as it is (ZIP reader, text decoders) and re-wrapped as a .docx whose
# word/document.xml is the input up to its first NUL byte and word/numbering.xml the rest, so that
# mutations reach the XML scanner, list numbering and task rules past the archive's checksums.
# New inputs land in a scratch folder; minimise them into the corpus before committing:
#   mkdir MIN && ASAN_OPTIONS=detect_leaks=0 .build-fuzz-docx/release/parta-fuzz-docx -set_cover_merge=1 MIN Tests/Fuzz/docx-corpus NEW_FOLDER
#   then replace Tests/Fuzz/docx-corpus with MIN.
# Leak checking is off (ASAN_OPTIONS): the pattern objects of static lets are reported as leaks at exit.
# A crash, a hang over 10 s or more than 2 GB leaves a crash-*/timeout-*/oom-* file here and exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-60}"
swift build -c release --scratch-path .build-fuzz-docx --product parta-fuzz-docx \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -parse-as-library
work="${FUZZ_WORK:-$(mktemp -d)}"
mkdir -p "$work/new" Tests/Fuzz/docx-corpus
echo "new inputs go to $work/new"
ASAN_OPTIONS=detect_leaks=0 .build-fuzz-docx/release/parta-fuzz-docx -max_total_time="$seconds" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 "$work/new" Tests/Fuzz/docx-corpus
