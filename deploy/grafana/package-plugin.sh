#!/usr/bin/env bash
# Packs the built Grafana app into the release archive Grafana installs: a zip whose single top folder is the
# plugin id, named <id>-<version>.zip. Prints the archive's path.
# Usage: package-plugin.sh [DIST_DIR (grafana-app/dist, from npm run build:grafana-app)] [OUT_DIR (repo root)]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dist="$(cd "${1:-$root/grafana-app/dist}" 2>/dev/null && pwd)" || {
  echo "${1:-grafana-app/dist} is missing: run npm run build:grafana-app" >&2
  exit 1
}
out_dir="$(cd "${2:-$root}" && pwd)"
[ -f "$dist/plugin.json" ] || { echo "$dist has no plugin.json: run npm run build:grafana-app" >&2; exit 1; }
id="$(node -p "require(process.argv[1]).id" "$dist/plugin.json")"
version="$(node -p "require(process.argv[1]).version" "$root/grafana-app/package.json")"
out="$out_dir/${id}-${version}.zip"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$dist" "$work/$id"
rm -f "$out"
(cd "$work" && python3 -c "import shutil,sys; shutil.make_archive(sys.argv[1], 'zip', '.', sys.argv[2])" "${out%.zip}" "$id")
echo "$out"
