import type { DetectorName } from '@anomalog/shared';
import type { Calibration } from '../detect/calibration';
import type { Detector, Matrix } from '../detect/detector';

/** A fitted tabular detector of a service's model with its calibration (raw score → 0..1, threshold). */
export interface ModelMember {
  readonly name: DetectorName;
  readonly detector: Detector<Matrix>;
  readonly calibration: Calibration;
}
