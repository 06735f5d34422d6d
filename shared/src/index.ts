export * from './attributes';
export * from './detectors';
export * from './config';
export * from './metrics';
export * from './api';
export * from './triage';
