import { Type } from '@sinclair/typebox';

/** Template mining (collector-processor/src/parse). One default config for every service. */
export const ParserConfig = Type.Object(
  {
    enabled: Type.Boolean({ default: true }),
    masks: Type.Object(
      {
        /** Names of built-in masks to switch off (see docs/parsing.md for the list). */
        disable: Type.Array(Type.String(), { default: [] }),
        /** Extra user rules: a regex (JS syntax) matched against one whole token, replaced by `<*>`. */
        add: Type.Array(Type.Object({ name: Type.String(), regex: Type.String() }), { default: [] }),
      },
      { default: {} },
    ),
    similarityThreshold: Type.Number({ minimum: 0, maximum: 1, default: 0.7 }),
    depth: Type.Integer({ minimum: 1, maximum: 8, default: 3 }),
    maxChildren: Type.Integer({ minimum: 1, default: 100 }),
    /** Bound on templates kept per miner; the least recently seen is evicted first. */
    maxTemplates: Type.Integer({ minimum: 1, default: 50000 }),
    /** Messages longer than this many UTF-16 units are cut before mining. */
    maxLineLength: Type.Integer({ minimum: 16, default: 16384 }),
    /** Messages with more tokens than this are cut to this many tokens before mining. */
    maxTokens: Type.Integer({ minimum: 1, default: 256 }),
    /** Field names looked up in structured (kvlist or JSON) bodies, first found wins. */
    messageFields: Type.Array(Type.String(), { default: ['message', 'msg', 'log', 'Message', 'MESSAGE', 'text'] }),
    snapshot: Type.Object(
      {
        /** File the miner state is written to; empty = no persistence. */
        file: Type.String({ default: '' }),
        intervalS: Type.Number({ minimum: 1, default: 60 }),
      },
      { default: {} },
    ),
  },
  { default: {} },
);
