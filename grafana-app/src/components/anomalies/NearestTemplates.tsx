import React from 'react';
import { Text } from '@grafana/ui';
import type { AnomalyDetail } from '@anomalog/shared';

/** For an unseen template: the service's known templates nearest to it, to tell a reworded line from a new one. */
export function NearestTemplates({ explanation }: { explanation: AnomalyDetail['explanation'] }) {
  const near = explanation.nearest ?? [];
  if (near.length === 0) {
    return null;
  }
  return (
    <div aria-label="Nearest known templates">
      <Text color="secondary">Nearest templates seen in training:</Text>
      <ul>
        {near.map((n) => (
          <li key={n.templateId}>
            <code>{n.template}</code> ({Math.round(n.similarity * 100)} % of words shared)
          </li>
        ))}
      </ul>
    </div>
  );
}
