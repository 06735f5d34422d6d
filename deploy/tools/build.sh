#!/usr/bin/env bash
# Builds the chart checks' tools from their Go modules (versions pinned in go.mod beside this script)
# into deploy/tools/.bin, and generates the Kubernetes JSON schemas kubeconform validates against from
# the pinned kubernetes release's OpenAPI spec into deploy/tools/.cache. Both folders are git-ignored
# and reused while go.mod, go.sum, the pinned Kubernetes version and the generator are unchanged, so a
# second run costs a hash. Needs only the Go module proxy (no other network).
set -euo pipefail
cd "$(dirname "$0")"

# The Kubernetes release the rendered manifests are validated against (docs/kubernetes.md).
KUBERNETES_VERSION="$(cat kubernetes-version)"

# One build at a time: jest runs the chart's test files in parallel workers, each making sure of the tools.
exec 9>.build.lock
flock 9

stamp() { cat go.mod go.sum kubernetes-version k8s-schemas.ts build.sh | sha256sum | cut -d' ' -f1; }
want="$(stamp)"
if [ -f .bin/stamp ] && [ "$(cat .bin/stamp)" = "$want" ] && [ -x .bin/helm ] && [ -x .bin/kubeconform ] &&
  [ -d ".cache/schemas/v${KUBERNETES_VERSION#v}-standalone-strict" ]; then
  exit 0
fi

rm -rf .bin .cache
mkdir -p .bin .cache/schemas
start=$SECONDS
# -trimpath and no VCS stamping keep the binaries the same for the same go.sum.
go build -trimpath -o .bin/ helm.sh/helm/v4/cmd/helm github.com/yannh/kubeconform/cmd/kubeconform
echo "deploy/tools: helm and kubeconform built in $((SECONDS - start)) s" >&2

# The spec ships inside the kubernetes module (api/openapi-spec); the Go module proxy serves it.
spec_dir="$(go mod download -json "k8s.io/kubernetes@${KUBERNETES_VERSION}" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
node --import tsx k8s-schemas.ts "$spec_dir/api/openapi-spec/swagger.json" \
  ".cache/schemas/v${KUBERNETES_VERSION#v}-standalone-strict"
echo "$want" > .bin/stamp
echo "deploy/tools: ready in $((SECONDS - start)) s" >&2
