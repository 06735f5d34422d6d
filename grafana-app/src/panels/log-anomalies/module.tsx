import React from 'react';
import { PanelPlugin, type PanelProps } from '@grafana/data';

interface Options {
  service: string;
  detector: string;
  minScore: number;
  mode: 'timeline' | 'table';
}

function LogAnomaliesPanel({ options }: PanelProps<Options>) {
  return (
    <div>
      Anomalies of {options.service || 'all services'} with score ≥ {options.minScore} ({options.mode})
    </div>
  );
}

export const plugin = new PanelPlugin<Options>(LogAnomaliesPanel).setPanelOptions((builder) =>
  builder
    .addTextInput({ path: 'service', name: 'Service', defaultValue: '' })
    .addTextInput({ path: 'detector', name: 'Detector', defaultValue: '' })
    .addNumberInput({ path: 'minScore', name: 'Min score', defaultValue: 0.5 })
    .addRadio({
      path: 'mode',
      name: 'Mode',
      defaultValue: 'timeline',
      settings: {
        options: [
          { value: 'timeline', label: 'Timeline' },
          { value: 'table', label: 'Table' },
        ],
      },
    }),
);
