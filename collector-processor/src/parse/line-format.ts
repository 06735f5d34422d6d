/**
 * Raw-file line formats in the loghub notation: `<Date> <Time> <Pid> <Level> <Component>: <Content>`.
 * `<Name>` is a field; text between fields is a regex fragment where runs of spaces match any
 * whitespace (so `\[<Time>\]` works as in loghub). The last field takes the rest of the line.
 */
export interface LineFormat {
  fields: string[];
  /** Header fields and Content, or undefined when the line does not fit the format. */
  split(line: string): Record<string, string> | undefined;
}

export function compileLineFormat(format: string): LineFormat {
  const parts = format.split(/(<[^<>]+>)/);
  const fields: string[] = [];
  let pattern = '';
  for (const part of parts) {
    const m = /^<([^<>]+)>$/.exec(part);
    if (m) {
      const name = m[1];
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`line format: bad field name "${name}"`);
      if (fields.includes(name)) throw new Error(`line format: field "${name}" given twice`);
      fields.push(name);
      pattern += `(?<${name}>.*?)`;
    } else pattern += part.replace(/ +/g, '\\s+');
  }
  if (fields.length === 0) throw new Error('line format has no <Field>');
  let re: RegExp;
  try {
    re = new RegExp(`^${pattern.replace(/\.\*\?\)$/, '.*)')}$`, 's');
  } catch (e) {
    throw new Error(`line format: ${(e as Error).message}`);
  }
  return {
    fields,
    split(line: string): Record<string, string> | undefined {
      const m = re.exec(line.trim());
      if (!m?.groups) return undefined;
      return { ...m.groups };
    },
  };
}
