#!/bin/sh
# The whole test suite: a warnings-as-errors build with AddressSanitizer and UBSan, then every
# Criterion test through CTest. On a fresh Debian 12 machine, run as root, it first installs what
# it needs. .ci/run calls exactly this.
set -eu
cd "$(dirname "$0")/.."
# gcc-aarch64-linux-gnu, libc6-dev-arm64-cross and qemu-user: the aarch64-neon target, cross-built
# and run under qemu-aarch64 (tests/test_aarch64.c); gcc-arm-none-eabi, libnewlib-arm-none-eabi and
# qemu-system-arm: the cortex-m target, run bare-metal under qemu-system-arm (tests/test_cortexm.c);
# clang-16: generated code builds warning-free with clang too (tests/test_targets.c).
need="cmake gcc clang-16 make libcriterion-dev flatbuffers-compiler pkg-config gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm"
missing=""
for p in $need; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  if [ "$(id -u)" -ne 0 ]; then echo "tests/run.sh: missing packages:$missing (run as root to install)" >&2; exit 1; fi
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing
fi
# The oracle: real TensorFlow Lite as WebAssembly (npm, version pinned by the lock file).
if ! command -v node >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then echo "tests/run.sh: node is missing (run as root to install)" >&2; exit 1; fi
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm
fi
if [ ! -d tests/oracle/node_modules/@tensorflow/tfjs-tflite ]; then
  (cd tests/oracle && npm ci --no-audit --no-fund --loglevel=error)
fi
build=${BUILD_DIR:-build-test}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DMODELC_WERROR=ON -DMODELC_SANITIZE=ON >/dev/null
cmake --build "$build" -j2
ctest --test-dir "$build" --output-on-failure
