#!/bin/sh
# Fuzzes the model reader with libFuzzer for SECONDS (default 60), seeded from the shared models
# and the bundled sample. Needs clang-16. Findings land in fuzz-corpus/ and crash-* files.
set -eu
cd "$(dirname "$0")/../.."
secs=${1:-60}
shared=${MODELC_SHARED:-../shared}
build=build-fuzz
CC=clang-16 cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMODELC_FUZZ=ON \
  -DMODELC_SANITIZE=ON >/dev/null
cmake --build "$build" -j2 --target fuzz_reader
mkdir -p fuzz-corpus
seeds=fuzz-corpus/seeds
mkdir -p "$seeds"
cp samples/*.tflite "$seeds"/
if [ -d "$shared/models" ]; then
  find "$shared/models" "$shared/testdata/seanet" -name '*.tflite' -size -2M -exec cp {} "$seeds"/ \;
fi
mkdir -p fuzz-corpus/work
exec "$build/tests/fuzz_reader" -max_total_time="$secs" -max_len=2200000 -rss_limit_mb=4096 \
  -timeout=10 fuzz-corpus/work "$seeds"
