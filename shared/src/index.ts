export * from './attributes';
export * from './config';
export * from './metrics';
export * from './api';
export * from './triage';
