import { Type, type TSchema } from '@sinclair/typebox';

/** The JSON body of every error answer. */
export const ErrorBody = Type.Object({
  statusCode: Type.Integer(),
  error: Type.String(),
  message: Type.String(),
  errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
});

export const ServiceParams = Type.Object({ service: Type.String({ minLength: 1 }) });
export const IdParams = Type.Object({ id: Type.String({ minLength: 1 }) });
export const VersionParams = Type.Object({
  service: Type.String({ minLength: 1 }),
  version: Type.Integer({ minimum: 1 }),
});
export const FeedbackAnswer = Type.Object({ status: Type.Literal('recorded') });

/** Error answers a route may give, for its OpenAPI entry and serialisation. */
export function errors(...codes: number[]): Record<number, typeof ErrorBody> {
  return Object.fromEntries([400, 401, ...codes].map((c) => [c, ErrorBody]));
}

/** A schema usable as a request body: Ajv's strict mode rejects a `default` at the root (it could not apply). */
export function asBody<S extends TSchema>(schema: S): S {
  const { default: _ignored, ...rest } = schema as S & { default?: unknown };
  return rest as S;
}
