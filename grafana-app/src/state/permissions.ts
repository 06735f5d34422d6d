import { config } from '@grafana/runtime';

/** Why a write action is off for this user, or undefined when it is allowed. */
export const NEEDS_EDITOR = 'Needs the Editor role (the app proxy route for changes requires it).';

/**
 * Whether the signed-in user may change things through the app (plugin.json: POST/PUT routes need
 * Editor). Unknown roles (no Grafana boot data, as in tests) count as allowed; the proxy still decides.
 */
export function canWrite(): boolean {
  const role = config.bootData?.user?.orgRole;
  return !(role === 'Viewer' || role === 'None');
}
