import React, { useState } from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { ModelConfig, validateWithDefaults } from '@anomalog/shared';
import { SchemaForm, type SchemaNode } from './SchemaForm';
import { validateModelConfig } from './validate';

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
