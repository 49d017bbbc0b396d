#!/usr/bin/env bash
# The program loads the large libraries only for the commands that use them (docs/performance.md,
# "Start-up"): cairo + pango (figures) and libcrypto (SHA-256 of inputs) come with the module
# libhazard-module.so, Open MPI with libhazard-mpi.so (an MPI build, under mpirun), both next to
# the program. Checks: the program needs none of them at start (readelf); `logrank` loads no module
# (LD_DEBUG=files); `report` loads the module and writes figures and the inputs' SHA-256 (equal to
# sha256sum's); a program without its module still runs `logrank`, and `report` ends with exit 5
# and a message naming the module.
# Usage: startup.sh /path/to/hazard   (env HAZARD_SOURCE_DIR; exit 0 pass, 1 fail, 77 skip)
set -uo pipefail
HAZARD=${1:?usage: startup.sh /path/to/hazard}
SRC=${HAZARD_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
command -v readelf >/dev/null || { echo "readelf not found: skipped"; exit 77; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fail=1; }
DATA=$SRC/examples/cabinet/adtte.csv
ARGS=(--data "$DATA" --where PARAMCD=PFS --time AVAL --cnsr CNSR --group TRT01P --ref Placebo)

needed=$(readelf -d "$HAZARD" | grep NEEDED)
if echo "$needed" | grep -Eq 'libcairo|libpango|libcrypto|libmpi|libgobject|libglib'; then
  bad "the program needs a library of its modules at start: $(echo "$needed" | grep -Eo 'lib(cairo|pango|crypto|mpi|gobject|glib)[^]]*' | tr '\n' ' ')"
else
  ok "the program needs no cairo, pango, glib, libcrypto or MPI library at start"
fi

LD_DEBUG=files "$HAZARD" logrank "${ARGS[@]}" >"$TMP/lr.txt" 2>"$TMP/lr.ld" || bad "logrank failed"
if grep -Eq 'libhazard-module|libcairo|libcrypto|libmpi' "$TMP/lr.ld"; then
  bad "logrank loaded: $(grep -Eo 'file=[^ ]*(libhazard-module|libcairo|libcrypto|libmpi)[^ ]*' "$TMP/lr.ld" | sort -u | tr '\n' ' ')"
else
  ok "logrank loads no module and no cairo, libcrypto or MPI library"
fi

LD_DEBUG=files "$HAZARD" report "${ARGS[@]}" --out "$TMP/rep" >/dev/null 2>"$TMP/rep.ld" \
  || bad "report failed: $(grep -v '^ *[0-9]*:' "$TMP/rep.ld" | tail -3)"
if grep -q 'file=.*libhazard-module.so' "$TMP/rep.ld" && grep -q 'file=.*libcairo' "$TMP/rep.ld"; then
  ok "report loads the module and cairo"
else
  bad "report did not load libhazard-module.so and cairo"
fi
if ls "$TMP"/rep/km_*.png >/dev/null 2>&1 && [ "$(head -c 4 "$(ls "$TMP"/rep/km_*.png | head -1)" | od -An -c | tr -d ' ')" = '211PNG' ]; then
  ok "report wrote PNG figures through the module"
else
  bad "no PNG figure in $TMP/rep: $(ls "$TMP/rep" 2>/dev/null | tr '\n' ' ')"
fi
want=$(sha256sum "$DATA" | cut -d' ' -f1)
if grep -q "\"sha256\": *\"$want\"" "$TMP/rep/results.json" 2>/dev/null; then
  ok "report records the input's SHA-256 through the module ($want = sha256sum)"
else
  bad "results.json has no sha256 $want"
fi

# the program alone, without its module
mkdir "$TMP/alone"
cp "$HAZARD" "$TMP/alone/hazard"
"$TMP/alone/hazard" logrank "${ARGS[@]}" >"$TMP/alone.txt" 2>"$TMP/alone.err" && cmp -s "$TMP/alone.txt" "$TMP/lr.txt" \
  && ok "without its module the program runs logrank, with the same output" \
  || bad "logrank without the module: $(head -3 "$TMP/alone.err")"
"$TMP/alone/hazard" report "${ARGS[@]}" --out "$TMP/rep2" >/dev/null 2>"$TMP/rep2.err"
rc=$?
if [ "$rc" = 5 ] && grep -q "cannot load $TMP/alone/libhazard-module.so" "$TMP/rep2.err"; then
  ok "report without the module: exit 5, the message names the module"
else
  bad "report without the module: exit $rc, $(head -3 "$TMP/rep2.err")"
fi
exit $fail
