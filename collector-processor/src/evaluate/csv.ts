/** Minimal RFC 4180 CSV: quoted fields with "" escapes and commas/newlines inside quotes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  row.push(field);
  if (row.length > 1 || row[0] !== '') rows.push(row);
  return rows;
}

/** Label text → 0/1: normal is 0, false, normal, '-' (loghub BGL); anything else is an anomaly. */
export function labelValue(text: string): 0 | 1 {
  const t = text.trim().toLowerCase();
  return t === '0' || t === 'false' || t === 'normal' || t === '-' || t === 'success' ? 0 : 1;
}

/**
 * `id,label` rows (a header row is skipped when its label column is not a label value: "Label").
 * `idColumn`/`labelColumn` pick columns by header name for wider CSVs (loghub structured files).
 */
export function parseLabels(text: string, idColumn?: string, labelColumn?: string): Map<string, 0 | 1> {
  const rows = parseCsv(text);
  const out = new Map<string, 0 | 1>();
  if (rows.length === 0) return out;
  let idAt = 0;
  let labelAt = 1;
  let start = 0;
  const head = rows[0].map((h) => h.trim());
  if (idColumn || labelColumn) {
    idAt = head.indexOf(idColumn ?? head[0]);
    labelAt = head.indexOf(labelColumn ?? head[1]);
    if (idAt < 0 || labelAt < 0) throw new Error(`labels CSV: columns ${idColumn}/${labelColumn} not in header`);
    start = 1;
  } else if (/^(label|labels|class|anomaly|is_anomaly)$/i.test(head[1] ?? '')) start = 1;
  for (let r = start; r < rows.length; r++) {
    const row = rows[r];
    if (row.length <= Math.max(idAt, labelAt)) throw new Error(`labels CSV line ${r + 1}: expected id,label`);
    out.set(row[idAt].trim(), labelValue(row[labelAt]));
  }
  return out;
}
