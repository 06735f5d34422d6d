import React, { useState } from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { ModelConfig, validateWithDefaults } from '@anomalog/shared';
import { SchemaForm, type SchemaNode } from './SchemaForm';
import { validateModelConfig } from './validate';
import { irrelevantFields } from './modelRules';

// A slow suite (each test runs a whole service, store, page or corpus): more time than jest.config.js gives.
jest.setTimeout(60_000);

const defaulted = validateWithDefaults(ModelConfig, {});
const defaults = (defaulted.ok ? defaulted.value : {}) as Record<string, unknown>;

function Harness() {
  const [value, setValue] = useState(defaults);
  return (
    <SchemaForm
      schema={ModelConfig as SchemaNode}
      value={value}
      errors={validateModelConfig(value)}
      onChange={setValue}
      hidden={irrelevantFields(value)}
    />
  );
}

describe('SchemaForm over the shared ModelConfig schema', () => {
  test('renders titled fields from the schema with their defaults', () => {
    render(<Harness />);
    expect(screen.getByLabelText('Window length (s)')).toHaveValue(60);
    expect(screen.getByText('Sessions')).toBeInTheDocument();
  });

  test('shows the schema validation message for an out-of-range value, and clears it when fixed', () => {
    render(<Harness />);
    const field = screen.getByLabelText('Learn on first N records');
    fireEvent.change(field, { target: { value: '5' } });
    expect(screen.getByText(/greater or equal to 100/)).toBeInTheDocument();
    fireEvent.change(field, { target: { value: '500' } });
    expect(screen.queryByText(/greater or equal to 100/)).not.toBeInTheDocument();
  });

  test('edits a list parameter as comma-separated numbers and flags a bad entry', () => {
    render(<Harness />);
    const field = screen.getByLabelText('Hidden layer sizes');
    expect(field).toHaveValue('32, 8');
    fireEvent.change(field, { target: { value: '64, x' } });
    expect(screen.getByText(/Expected array/)).toBeInTheDocument();
    fireEvent.change(field, { target: { value: '64, 16' } });
    expect(screen.queryByText(/Expected array/)).not.toBeInTheDocument();
  });
});

describe('session-key rules', () => {
  test("only the chosen kind's field shows, and it is required (a regex must compile)", () => {
    render(<Harness />);
    expect(screen.getByLabelText('Window length (s)')).toBeInTheDocument();
    expect(screen.queryByLabelText('Session id regex')).toBeNull();
    expect(screen.queryByLabelText('Attribute key')).toBeNull();

    fireEvent.click(screen.getByRole('radio', { name: 'Regex on the message' }));
    expect(screen.queryByLabelText('Window length (s)')).toBeNull();
    expect(screen.getByText(/Give the regular expression/)).toBeInTheDocument();
    const regex = screen.getByLabelText('Session id regex');
    fireEvent.change(regex, { target: { value: '(blk' } });
    expect(screen.getByText(/Not a valid regular expression/)).toBeInTheDocument();
    // Valid JavaScript, but the processor's RE2 engine has no lookaround: the form refuses it too.
    fireEvent.change(regex, { target: { value: 'blk_(?=\\d)\\d+' } });
    expect(screen.getByText(/Not a valid regular expression for the linear-time \(RE2\) engine/)).toBeInTheDocument();
    fireEvent.change(regex, { target: { value: 'blk_-?\\d+' } });
    expect(screen.queryByText(/Not a valid regular expression/)).toBeNull();

    fireEvent.click(screen.getByRole('radio', { name: 'Attribute' }));
    expect(screen.getByText(/Name the attribute/)).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Attribute key'), { target: { value: 'block.id' } });
    expect(screen.queryByText(/Name the attribute/)).toBeNull();
  });

  test('a trace-keyed config needs none of the three', () => {
    expect(irrelevantFields({ sessionKey: { kind: 'trace' } })).toEqual(
      new Set(['/sessionKey/attribute', '/sessionKey/regex', '/sessionKey/windowSeconds']),
    );
    expect(validateModelConfig({ ...defaults, sessionKey: { kind: 'trace' } })).toEqual({});
  });
});
