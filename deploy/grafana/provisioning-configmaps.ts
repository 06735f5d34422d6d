/**
 * Prints the ConfigMaps that deploy/grafana/values.yaml mounts into Grafana, made from the files in
 * provisioning/ (the ones the compose stack mounts), so both installs provision the same dashboard, alert
 * rules and app settings:
 *   npx tsx deploy/grafana/provisioning-configmaps.ts | kubectl apply -n observability -f -
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';

const PROVISIONING = resolve(__dirname, '../../provisioning');

/** ConfigMap name → provisioning folder whose files it carries. */
export const CONFIGMAPS: Record<string, string> = {
  'anomalog-grafana-dashboards': 'dashboards/json',
  'anomalog-grafana-alerting': 'alerting',
  'anomalog-grafana-plugins': 'plugins',
};

export function provisioningConfigMaps(): Record<string, unknown>[] {
  return Object.entries(CONFIGMAPS).map(([name, dir]) => {
    const folder = join(PROVISIONING, dir);
    const files = readdirSync(folder)
      .filter((f) => /\.(json|ya?ml)$/.test(f))
      .sort();
    return {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, labels: { 'app.kubernetes.io/part-of': 'anomalog' } },
      data: Object.fromEntries(files.map((f) => [f, readFileSync(join(folder, f), 'utf8')])),
    };
  });
}

if (require.main === module) {
  process.stdout.write(
    provisioningConfigMaps()
      .map((cm) => `---\n${stringify(cm)}`)
      .join(''),
  );
}
