#!/bin/sh
# Fuzzes modelc with libFuzzer for SECONDS (default 60): TARGET reader (default; the load path)
# or compile (every pass and code generation too), seeded from the shared models and the bundled
# samples; further arguments go to libFuzzer (-fork=1 -ignore_crashes=1 keeps going after a
# finding). Needs clang-16. Findings land in fuzz-corpus/TARGET/ and crash-* files.
set -eu
cd "$(dirname "$0")/../.."
secs=${1:-60}
target=${2:-reader}
shift $(($# < 2 ? $# : 2))
shared=${MODELC_SHARED:-../shared}
build=build-fuzz
# Code generation makes megabytes of text for a large model: its seeds stay small.
case $target in
  reader) maxseed=2M maxlen=2200000 ;;
  compile) maxseed=600k maxlen=700000 ;;
  *) echo "usage: $0 [SECONDS] [reader|compile]" >&2; exit 2 ;;
esac
CC=clang-16 cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMODELC_FUZZ=ON \
  -DMODELC_SANITIZE=ON >/dev/null
cmake --build "$build" -j2 --target "fuzz_$target"
seeds=fuzz-corpus/$target/seeds
mkdir -p "$seeds" "fuzz-corpus/$target/work"
find samples -name '*.tflite' -size -"$maxseed" -exec cp {} "$seeds"/ \;
if [ -d "$shared/models" ]; then
  find "$shared/models" "$shared/testdata/seanet" -name '*.tflite' -size -"$maxseed" \
    -exec cp {} "$seeds"/ \;
fi
exec "$build/tests/fuzz_$target" -max_total_time="$secs" -max_len="$maxlen" -rss_limit_mb=4096 \
  -timeout=20 "$@" "fuzz-corpus/$target/work" "$seeds"
