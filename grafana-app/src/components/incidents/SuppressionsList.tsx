import React, { useEffect, useState } from 'react';
import { dateTimeFormat } from '@grafana/data';
import { Alert, Button, InteractiveTable, Text } from '@grafana/ui';
import type { Suppression } from '@anomalog/shared';
import { triageApi } from '../../api/triage';
import { canWrite, NEEDS_EDITOR } from '../../state/permissions';

type Cell = { row: { original: Suppression } };
const time = (iso?: string) => (iso ? dateTimeFormat(iso, { format: 'YYYY-MM-DD HH:mm' }) : 'until undone');

/** The suppressions in force and past ones, each with undo. */
export function SuppressionsList({ reload, onChanged }: { reload: number; onChanged: () => void }) {
  const [items, setItems] = useState<Suppression[]>([]);
  const [error, setError] = useState<Error>();
  const [own, setOwn] = useState(0);
  const writable = canWrite();
  useEffect(() => {
    triageApi.suppressions().then(setItems).catch(setError);
  }, [reload, own]);
  const undo = (id: string) =>
    triageApi
      .unsuppress(id)
      .then(() => {
        setOwn((n) => n + 1);
        onChanged();
      })
      .catch(setError);
  const columns = [
    { id: 'service', header: 'Service' },
    { id: 'template', header: 'Template', cell: ({ row }: Cell) => row.original.template ?? row.original.templateId },
    { id: 'detector', header: 'Detector', cell: ({ row }: Cell) => row.original.detector ?? 'every detector' },
    { id: 'createdAt', header: 'Since', cell: ({ row }: Cell) => time(row.original.createdAt) },
    {
      id: 'expiresAt',
      header: 'Until',
      cell: ({ row }: Cell) => {
        const s = row.original;
        const expired = s.expiresAt !== undefined && Date.parse(s.expiresAt) <= Date.now();
        return expired ? `expired ${time(s.expiresAt)}` : time(s.expiresAt);
      },
    },
    { id: 'comment', header: 'Comment', cell: ({ row }: Cell) => row.original.comment ?? '' },
    {
      id: 'undo',
      header: '',
      cell: ({ row }: Cell) => (
        <Button
          size="sm"
          variant="secondary"
          icon="history"
          disabled={!writable}
          tooltip={writable ? 'Records of this template are flagged again from now on' : NEEDS_EDITOR}
          onClick={() => undo(row.original.id)}
        >
          Undo
        </Button>
      ),
    },
  ];
  return (
    <section aria-label="Suppressions">
      {error && (
        <Alert severity="error" title="Suppressions">
          {error.message}
        </Alert>
      )}
      {items.length === 0 ? (
        <Text color="secondary">No suppressions: every flagged record raises an anomaly.</Text>
      ) : (
        <InteractiveTable columns={columns} data={items} getRowId={(s: Suppression) => s.id} pageSize={10} />
      )}
    </section>
  );
}
