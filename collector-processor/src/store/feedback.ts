import type { Feedback } from '@anomalog/shared';

/** A feedback entry as stored: what the user said, and when. */
export type FeedbackRow = Feedback & { time: string };

/** Feedback, kept so training can use it (SQLite `sqlite/feedback.ts`, PostgreSQL `postgres/feedback.ts`). */
export interface FeedbackStore {
  insertFeedback(feedback: FeedbackRow): Promise<void>;
  /** The service's feedback in insertion order, with only the fields given. */
  listFeedback(service: string): Promise<FeedbackRow[]>;
}
