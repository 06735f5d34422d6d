import { PanelPlugin } from '@grafana/data';
import { DETECTOR_NAMES, UNSEEN_DETECTOR } from '@anomalog/shared';
import { LogAnomaliesPanel } from './LogAnomaliesPanel';
import { DEFAULT_OPTIONS, type Options } from './options';

const DETECTORS = [UNSEEN_DETECTOR, ...DETECTOR_NAMES];

export const plugin = new PanelPlugin<Options>(LogAnomaliesPanel).setPanelOptions((builder) =>
  builder
    .addTextInput({
      path: 'service',
      name: 'Service',
      description: 'A service name or a dashboard variable such as $service; empty for all services',
      defaultValue: DEFAULT_OPTIONS.service,
    })
    .addSelect({
      path: 'detector',
      name: 'Detector',
      defaultValue: DEFAULT_OPTIONS.detector,
      settings: {
        allowCustomValue: true,
        options: [{ value: '', label: 'All' }, ...DETECTORS.map((d) => ({ value: d, label: d }))],
      },
    })
    .addSliderInput({
      path: 'minScore',
      name: 'Min score',
      defaultValue: DEFAULT_OPTIONS.minScore,
      settings: { min: 0, max: 1, step: 0.05 },
    })
    .addRadio({
      path: 'mode',
      name: 'Mode',
      defaultValue: DEFAULT_OPTIONS.mode,
      settings: {
        options: [
          { value: 'timeline', label: 'Timeline' },
          { value: 'heatmap', label: 'Score heatmap' },
          { value: 'table', label: 'Table' },
        ],
      },
    })
    .addBooleanSwitch({
      path: 'showAnnotations',
      name: 'Annotations',
      description: 'Mark each anomaly and the dashboard annotations on the timeline or heatmap',
      defaultValue: DEFAULT_OPTIONS.showAnnotations,
      showIf: (o) => o.mode !== 'table',
    }),
);
