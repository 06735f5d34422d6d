import type { GrafanaTheme2 } from '@grafana/data';
import { DetectorName } from '@anomalog/shared';

const DETECTORS: string[] = DetectorName.anyOf.map((d) => d.const);
/** One classic palette colour per detector, in the schema's order: stable across runs, charts and pages. */
const COLOR_NAMES = ['green', 'blue', 'orange', 'purple', 'red', 'yellow', 'light-blue', 'dark-green'];

export function detectorColor(theme: GrafanaTheme2, detector: string): string {
  const known = DETECTORS.indexOf(detector);
  const index = known >= 0 ? known : DETECTORS.length + ([...detector].reduce((h, c) => h + c.charCodeAt(0), 0) % 3);
  return theme.visualization.getColorByName(COLOR_NAMES[index % COLOR_NAMES.length]);
}
