import type { Database as Db } from 'better-sqlite3';
import type { FeedbackRow, FeedbackStore } from '../feedback';
import { feedbackFromRow, feedbackParams, type FeedbackColumns } from '../rows';
import type { SqliteConnection } from './connection';

function statements(db: Db) {
  return {
    insert: db.prepare(
      'INSERT INTO feedback (time, service, kind, anomaly_id, template_id, comment) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    list: db.prepare(
      'SELECT time, service, kind, anomaly_id, template_id, comment FROM feedback WHERE service = ? ORDER BY id',
    ),
  };
}

export class SqliteFeedback implements FeedbackStore {
  private stmts!: ReturnType<typeof statements>;

  constructor(private readonly c: SqliteConnection) {}

  prepare(db: Db): void {
    this.stmts = statements(db);
  }

  async insertFeedback(feedback: FeedbackRow): Promise<void> {
    this.c.write('feedback', () => this.stmts.insert.run(...feedbackParams(feedback)));
  }

  async listFeedback(service: string): Promise<FeedbackRow[]> {
    return (this.stmts.list.all(service) as FeedbackColumns[]).map(feedbackFromRow);
  }
}
