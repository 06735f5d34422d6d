#!/usr/bin/env bash
# Packs the built Grafana app (grafana-app/dist, from `npm run build:grafana-app`) into the release archive
# Grafana installs: a zip whose single top folder is the plugin id. Prints the archive's path.
set -euo pipefail
cd "$(dirname "$0")/../.."
id="$(node -p "require('./grafana-app/src/plugin.json').id")"
version="$(node -p "require('./grafana-app/package.json').version")"
[ -f grafana-app/dist/plugin.json ] || { echo "grafana-app/dist is missing: run npm run build:grafana-app" >&2; exit 1; }
out="$PWD/${id}-${version}.zip"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r grafana-app/dist "$work/$id"
rm -f "$out"
(cd "$work" && python3 -c "import shutil,sys; shutil.make_archive(sys.argv[1], 'zip', '.', sys.argv[2])" "${out%.zip}" "$id")
echo "$out"
