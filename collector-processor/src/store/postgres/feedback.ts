import type { FeedbackRow, FeedbackStore } from '../feedback';
import { feedbackFromRow, feedbackParams, type FeedbackColumns } from '../rows';
import type { PostgresConnection } from './connection';

export class PostgresFeedback implements FeedbackStore {
  constructor(private readonly c: PostgresConnection) {}

  async insertFeedback(f: FeedbackRow): Promise<void> {
    await this.c.write('feedback', () =>
      this.c.db.query(
        'INSERT INTO feedback (time, service, kind, anomaly_id, template_id, comment) VALUES ($1, $2, $3, $4, $5, $6)',
        feedbackParams(f),
      ),
    );
  }

  async listFeedback(service: string): Promise<FeedbackRow[]> {
    const { rows } = await this.c.query<FeedbackColumns>(
      'SELECT time, service, kind, anomaly_id, template_id, comment FROM feedback WHERE service = $1 ORDER BY id',
      [service],
    );
    return rows.map(feedbackFromRow);
  }
}
