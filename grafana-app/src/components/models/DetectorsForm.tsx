import React from 'react';
import { Badge, ControlledCollapse, Stack, Text } from '@grafana/ui';
import type { DetectorName } from '@anomalog/shared';
import { SchemaForm, type SchemaNode } from '../SchemaForm/SchemaForm';
import { DETECTOR_INFO, type DetectorState } from './detectors';

type Value = Record<string, unknown>;

const BADGE = {
  running: <Badge color="green" text="running" />,
  'not-running': <Badge color="orange" text="enabled, not running" />,
  disabled: <Badge color="darkgrey" text="disabled" />,
};

/**
 * One collapsible section per detector (human name, whether it really runs, help), open when it is
 * enabled; its settings are the schema's own fields.
 */
export function DetectorsForm({
  schema,
  value,
  errors,
  states,
  onChange,
}: {
  schema: SchemaNode;
  value: Value;
  errors: Record<string, string>;
  states: DetectorState[];
  onChange: (value: Value) => void;
}) {
  return (
    <section aria-label="Detectors">
      <h3>Detectors</h3>
      {states.map((s) => {
        const name: DetectorName = s.name;
        const settings = (value[name] as Value) ?? {};
        return (
          <ControlledCollapse
            key={name}
            collapsible
            isOpen={settings.enabled === true}
            label={
              <Stack gap={1} alignItems="center">
                <span>{DETECTOR_INFO[name].label}</span>
                {BADGE[s.state]}
              </Stack>
            }
          >
            <Stack direction="column" gap={1}>
              <Text color="secondary">{DETECTOR_INFO[name].help}</Text>
              {s.state === 'not-running' && <Text color="warning">{`Not running: ${s.reason}.`}</Text>}
              <SchemaForm
                schema={schema.properties![name]}
                value={settings}
                errors={errors}
                path={`/detectors/${name}`}
                onChange={(v) => onChange({ ...value, [name]: v })}
              />
            </Stack>
          </ControlledCollapse>
        );
      })}
    </section>
  );
}
