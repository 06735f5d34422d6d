import React from 'react';
import type { TimeRange } from '@grafana/data';
import { Combobox, Field, Input, Stack, TimeRangePicker } from '@grafana/ui';
import { DETECTOR_NAMES, UNSEEN_DETECTOR } from '@anomalog/shared';
import type { AnomalyFilters } from '../../state/anomalyFilters';
import { shiftRange, toUrlValues, zoomOut } from '../../state/timeRange';

const DETECTORS: string[] = [UNSEEN_DETECTOR, ...DETECTOR_NAMES];
const ALL = { label: 'All', value: '' };

/** The page's variables: time range, service, detector and minimum score (all kept in the URL). */
export function AnomalyFiltersBar({
  filters,
  range,
  services,
  onChange,
}: {
  filters: AnomalyFilters;
  range: TimeRange;
  services: string[];
  onChange: (patch: Partial<AnomalyFilters>) => void;
}) {
  return (
    <Stack alignItems="flex-end" wrap="wrap" justifyContent="space-between">
      <Stack alignItems="flex-end" wrap="wrap">
        <Field label="Service" noMargin>
          <Combobox
            id="anomalies-service"
            width={24}
            options={[ALL, ...services.map((s) => ({ label: s, value: s }))]}
            value={filters.service}
            createCustomValue
            onChange={(o) => onChange({ service: o?.value ?? '' })}
          />
        </Field>
        <Field label="Detector" noMargin>
          <Combobox
            id="anomalies-detector"
            width={24}
            options={[ALL, ...DETECTORS.map((d) => ({ label: d, value: d }))]}
            value={filters.detector}
            createCustomValue
            onChange={(o) => onChange({ detector: o?.value ?? '' })}
          />
        </Field>
        <Field label="Min score" noMargin>
          <Input
            id="anomalies-min-score"
            aria-label="Min score"
            type="number"
            width={12}
            min={0}
            max={1}
            step={0.05}
            defaultValue={filters.minScore}
            key={filters.minScore}
            onBlur={(e) => onChange({ minScore: clampScore(e.currentTarget.valueAsNumber) })}
            onKeyDown={(e) => e.key === 'Enter' && onChange({ minScore: clampScore(e.currentTarget.valueAsNumber) })}
          />
        </Field>
      </Stack>
      <TimeRangePicker
        value={range}
        onChange={(r) => onChange(toUrlValues(r))}
        onChangeTimeZone={() => undefined}
        onMoveBackward={() => onChange(shiftRange(range, -1))}
        onMoveForward={() => onChange(shiftRange(range, 1))}
        onZoom={() => onChange(zoomOut(range))}
      />
    </Stack>
  );
}

function clampScore(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}
