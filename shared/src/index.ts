export * from './attributes';
export * from './config';
