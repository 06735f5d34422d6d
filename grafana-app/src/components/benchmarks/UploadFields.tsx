import React, { type FormEvent } from 'react';
import { Field, FileUpload, Input, Stack } from '@grafana/ui';
import type { BenchmarkRequest } from '@anomalog/shared';

export type Upload = NonNullable<BenchmarkRequest['upload']>;

/** The HDFS header (loghub's format string); a user's own log names its own fields the same way. */
export const HDFS_LINE_FORMAT = '<Date> <Time> <Pid> <Level> <Component>: <Content>';
export const HDFS_SESSION_REGEX = 'blk_-?\\d+';

export const EMPTY_UPLOAD: Upload = {
  log: '',
  labels: '',
  lineFormat: HDFS_LINE_FORMAT,
  sessionRegex: HDFS_SESSION_REGEX,
};

/** Why an upload cannot run yet, or undefined when it can. */
export function uploadProblem(upload: Upload): string | undefined {
  if (!upload.log) {
    return 'Choose the log file.';
  }
  if (!upload.labels) {
    return 'Choose the labels file (CSV: session or line id, label).';
  }
  if (upload.sessionRegex) {
    try {
      new RegExp(upload.sessionRegex);
    } catch {
      return 'The session regex does not compile.';
    }
  }
  return undefined;
}

/** The chosen file's text (FileReader: every browser Grafana supports, and jsdom, has it). */
function readFile(event: FormEvent<HTMLInputElement>): Promise<string> {
  const file = event.currentTarget.files?.[0];
  return new Promise((resolve, reject) => {
    if (!file) {
      return resolve('');
    }
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result ?? ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsText(file);
  });
}

/** A labeled log of the user's own: the file, its line format, the session regex and the labels CSV. */
export function UploadFields({ value, onChange }: { value: Upload; onChange: (patch: Partial<Upload>) => void }) {
  // Patches, not whole values: two files read at once must not overwrite each other's text.
  return (
    <Stack direction="column" gap={1}>
      <Stack wrap="wrap">
        <Field label="Log file" description="Raw log lines" noMargin>
          <FileUpload showFileName onFileUpload={(e) => readFile(e).then((log) => onChange({ log }))}>
            Log file
          </FileUpload>
        </Field>
        <Field
          label="Labels file"
          description="CSV: session (or 1-based line) id, label 1/0 or Anomaly/Normal"
          noMargin
        >
          <FileUpload
            showFileName
            accept=".csv,text/csv,text/plain"
            onFileUpload={(e) => readFile(e).then((labels) => onChange({ labels }))}
          >
            Labels file
          </FileUpload>
        </Field>
      </Stack>
      <Stack wrap="wrap">
        <Field label="Line format" description="Header fields; <Content> is the message. Empty: whole line" noMargin>
          <Input
            width={50}
            value={value.lineFormat ?? ''}
            onChange={(e) => onChange({ lineFormat: e.currentTarget.value })}
          />
        </Field>
        <Field label="Session regex" description="Groups lines into sessions. Empty: every line is scored" noMargin>
          <Input
            width={30}
            value={value.sessionRegex ?? ''}
            onChange={(e) => onChange({ sessionRegex: e.currentTarget.value })}
          />
        </Field>
      </Stack>
    </Stack>
  );
}

/** The request body: empty optional fields left out, so the processor's defaults apply. */
export function uploadRequest(upload: Upload): Upload {
  return {
    log: upload.log,
    labels: upload.labels,
    ...(upload.lineFormat ? { lineFormat: upload.lineFormat } : {}),
    ...(upload.sessionRegex ? { sessionRegex: upload.sessionRegex } : {}),
  };
}
