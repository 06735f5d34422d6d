import React from 'react';
import { Field, FieldSet, Input, RadioButtonGroup, Switch } from '@grafana/ui';

/** The parts of a JSON schema (as TypeBox emits them) the form understands. */
export interface SchemaNode {
  type?: string;
  title?: string;
  description?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  const?: string | number | boolean;
  minimum?: number;
  maximum?: number;
}

type Value = Record<string, unknown>;

/** Labels for schema keys without a title of their own. */
const KEY_LABELS: Record<string, string> = { params: 'Parameters' };
/** Labels for the schema's literal choices, where the value alone is a code. */
const CHOICE_LABELS: Record<string, string> = {
  fpr: 'Target false-positive rate',
  contamination: 'Expected anomaly share',
  trace: 'Trace id',
  attribute: 'Attribute',
  regex: 'Regex on the message',
  window: 'Time window',
};

interface Props {
  schema: SchemaNode;
  value: Value;
  errors: Record<string, string>;
  onChange: (value: Value) => void;
  path?: string;
  /** JSON pointers of fields not to show (they do not apply to the current values). */
  hidden?: ReadonlySet<string>;
}

/** Renders fields for an object schema, recursively; error messages are keyed by JSON pointer. */
export function SchemaForm({ schema, value, errors, onChange, path = '', hidden }: Props) {
  return (
    <>
      {Object.entries(schema.properties ?? {}).map(([key, node]) => {
        const pointer = `${path}/${key}`;
        if (hidden?.has(pointer)) {
          return null;
        }
        const set = (v: unknown) => onChange({ ...value, [key]: v });
        if (node.type === 'object') {
          return (
            <FieldSet key={key} label={node.title ?? KEY_LABELS[key] ?? key}>
              <SchemaForm
                schema={node}
                value={(value[key] as Value) ?? {}}
                errors={errors}
                onChange={set}
                path={pointer}
                hidden={hidden}
              />
            </FieldSet>
          );
        }
        return (
          <Field
            key={key}
            label={node.title ?? key}
            description={node.description}
            invalid={Boolean(errors[pointer])}
            error={errors[pointer]}
          >
            {renderInput(node, value[key], set, pointer)}
          </Field>
        );
      })}
    </>
  );
}

function renderInput(node: SchemaNode, current: unknown, set: (v: unknown) => void, id: string) {
  const literals = node.anyOf?.filter((n) => n.const !== undefined).map((n) => String(n.const));
  if (literals && literals.length === node.anyOf?.length) {
    return (
      <RadioButtonGroup
        options={literals.map((l) => ({ label: CHOICE_LABELS[l] ?? l, value: l }))}
        value={current as string}
        onChange={set}
      />
    );
  }
  if (node.type === 'boolean') {
    return <Switch id={id} value={Boolean(current)} onChange={(e) => set(e.currentTarget.checked)} />;
  }
  if (node.type === 'array') {
    // Lists of numbers (layer sizes) are typed as "32, 8"; non-numbers stay text so validation reports them.
    return (
      <Input
        id={id}
        aria-label={node.title ?? id}
        value={Array.isArray(current) ? current.join(', ') : String(current ?? '')}
        onChange={(e) => {
          const parts = e.currentTarget.value.split(',').map((p) => p.trim());
          set(parts.every((p) => p !== '' && !Number.isNaN(Number(p))) ? parts.map(Number) : e.currentTarget.value);
        }}
      />
    );
  }
  const numeric = node.type === 'integer' || node.type === 'number';
  return (
    <Input
      id={id}
      aria-label={node.title ?? id}
      type={numeric ? 'number' : 'text'}
      value={current === undefined ? '' : String(current)}
      onChange={(e) => {
        const text = e.currentTarget.value;
        set(numeric && text !== '' && !Number.isNaN(Number(text)) ? Number(text) : text);
      }}
    />
  );
}
