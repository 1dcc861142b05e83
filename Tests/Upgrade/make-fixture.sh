#!/bin/sh
# Writes, with the given `parta` binary, the data folders of a small district at fixed times:
# the fixture that UpgradeTests opens with the current Parta. Run it with a release's binary to
# add that release's fixture, e.g.
#   Tests/Upgrade/make-fixture.sh ../old/.build/debug/parta Tests/Upgrade/2026-12-05
set -eu
parta=$1
out=$2
rm -rf "$out"
mkdir -p "$out"
export LANG=en_US.UTF-8
at() { when=$1; shift; PARTA_NOW=$when "$parta" "$@"; }
code() { at "$@" --json | sed -n 's/.*"code" *: *"\([^"]*\)".*/\1/p'; }

hub="--data $out/hub"
at 2026-12-01T09:00 hub init --name "Отдел образования" $hub >/dev/null
s1=$(code 2026-12-01T09:01 hub school add s1 --name "МБОУ СОШ № 1" $hub)
code 2026-12-01T09:02 hub school add s2 --name "МБОУ СОШ № 2" $hub >/dev/null
# A code issued and never used: an earlier Parta kept it in clear.
code 2026-12-01T09:03 hub school code s1 $hub > "$out/open-code.txt"
at 2026-12-01T09:04 hub task add --title "Обновить программу воспитания" --number 1.1 --assign-all $hub >/dev/null
at 2026-12-01T09:05 hub task add --title "Провести диагностику" --number 1.2 --deadline 2027-03-01 --assign s1 $hub >/dev/null
at 2026-12-01T09:06 hub export --to "$out/stick" $hub >/dev/null
at 2026-12-01T10:00 init --from "$out/stick" --code "$s1" --name "ПК секретаря" --data "$out/s1" >/dev/null
at 2026-12-01T10:01 report 1.1 --progress 50 --comment "Начали" --data "$out/s1" >/dev/null
at 2026-12-01T10:02 export --to "$out/stick" --data "$out/s1" >/dev/null
at 2026-12-01T11:00 hub import "$out/stick" $hub >/dev/null
at 2026-12-01T11:01 hub export --to "$out/stick" $hub >/dev/null
at 2026-12-01T12:00 import "$out/stick" --data "$out/s1" >/dev/null
# The school's next answer stays on the stick, for the upgraded hub to take in.
at 2026-12-02T10:00 report 1.2 --status done --data "$out/s1" >/dev/null
at 2026-12-02T10:01 export --to "$out/stick" --data "$out/s1" >/dev/null
rm -f "$out"/stick/*/from-hub-*.parta "$out"/stick/s2/*
"$parta" --version > "$out/written-by.txt" 2>/dev/null || echo unknown > "$out/written-by.txt"
