#!/usr/bin/env bash
# Builds the Collector described by collector/builder-config.yaml into collector/.build/ with the
# OpenTelemetry Collector Builder, from the Go module proxy. Reuses the binary while the manifest is
# unchanged (the manifest's hash is stored beside it), so CI and the tests pay for the build once.
# Prints the binary's path on stdout; progress goes to stderr.
set -euo pipefail
cd "$(dirname "$0")"

BUILDER_VERSION=v0.159.0 # the release every module in the manifest is at
MANIFEST=builder-config.yaml
OUT=.build
BIN="$OUT/otelcol-anomalog"
STAMP="$OUT/manifest.sha256"

mkdir -p "$OUT"
# One build at a time (test files run in parallel workers and each may call this): the others wait
# here and then find the binary up to date.
exec 9> "$OUT/.lock"
flock 9

want="$( (cat "$MANIFEST"; echo "builder $BUILDER_VERSION") | sha256sum | cut -d' ' -f1)"
if [ -x "$BIN" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then
  echo "collector/build.sh: $BIN is up to date with $MANIFEST" >&2
  echo "$PWD/$BIN"
  exit 0
fi

if ! command -v go > /dev/null; then
  echo "collector/build.sh: Go is needed to build the Collector (go.dev/doc/install)" >&2
  exit 1
fi

start=$(date +%s)
echo "collector/build.sh: building the Collector from $MANIFEST (builder $BUILDER_VERSION)..." >&2
rm -f "$STAMP"
# The generated sources and the binary stay in .build/ (git-ignored). -trimpath/-s -w keep the
# binary smaller; CGO is not needed by any component.
CGO_ENABLED=0 go run "go.opentelemetry.io/collector/cmd/builder@$BUILDER_VERSION" \
  --config="$MANIFEST" --ldflags='-s -w' >&2
echo "$want" > "$STAMP"
echo "collector/build.sh: built $BIN in $(($(date +%s) - start)) s" >&2
echo "$PWD/$BIN"
