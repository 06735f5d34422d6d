import { Type } from '@sinclair/typebox';

/** Template mining. Filled in by the template-mining stage (issue: template mining). */
export const ParserConfig = Type.Object(
  {
    enabled: Type.Boolean({ default: true }),
  },
  { default: {} },
);
