import { ID_MAX_LENGTH } from '../claims.js';
import { pointer, type ValidationProblem } from './json-pointer.js';
import { isObject } from './read-json.js';
import { LtiServiceError } from './service-errors.js';
import { isIsoDateTimeWithOffset } from './timestamps.js';
import { ACTIVITY_PROGRESS, type ActivityProgress, GRADING_PROGRESS, type GradingProgress } from './vocabulary.js';

/** A score (AGS §3.4; fact sheet §8.4). */
export interface Score {
  /** The learner's LTI user id (`sub`). */
  userId: string;
  /** ISO 8601 with offset; the platform ignores a score older than the last one it applied. */
  timestamp: string;
  activityProgress: ActivityProgress;
  gradingProgress: GradingProgress;
  /** ≥ 0, may exceed scoreMaximum (extra credit); needs scoreMaximum. Omitted: the grade is cleared on most platforms. */
  scoreGiven?: number;
  /** > 0. */
  scoreMaximum?: number;
  comment?: string;
  scoringUserId?: string;
  submission?: { startedAt?: string; submittedAt?: string };
  /**
   * Extension members, each named by a URI (e.g. Canvas's https://canvas.instructure.com/lti/submission),
   * sent as top-level members of the score.
   */
  extensions?: Record<string, unknown>;
}

const FIELDS = new Set(['userId', 'timestamp', 'activityProgress', 'gradingProgress', 'scoreGiven', 'scoreMaximum', 'comment', 'scoringUserId', 'submission']);

/**
 * Checks a score before anything is sent, reporting every problem with its JSON pointer:
 * userId non-empty; timestamp ISO 8601 with offset; both progress enums; scoreGiven a finite number
 * ≥ 0 and only with scoreMaximum; scoreMaximum finite and > 0; comment and scoringUserId strings;
 * submission times ISO 8601. Members outside the spec must be named by a URI (extensions), so a typo
 * such as `scoregiven` is caught here rather than silently dropped by the platform.
 */
export function scoreProblems(value: unknown): ValidationProblem[] {
  if (!isObject(value)) return [{ pointer: '', message: 'a score must be a JSON object' }];
  const problems: ValidationProblem[] = [];
  const problem = (field: string, message: string) => problems.push({ pointer: pointer(field), message });
  const { userId, timestamp, activityProgress, gradingProgress, scoreGiven, scoreMaximum, comment, scoringUserId, submission } = value;
  if (typeof userId !== 'string' || userId === '' || userId.length > ID_MAX_LENGTH)
    problem('userId', `userId must be a string of 1–${ID_MAX_LENGTH} characters`);
  if (!isIsoDateTimeWithOffset(timestamp)) problem('timestamp', 'timestamp must be an ISO 8601 date-time with an offset, e.g. 2025-01-31T12:00:00.000Z');
  if (typeof activityProgress !== 'string' || !(ACTIVITY_PROGRESS as readonly string[]).includes(activityProgress)) {
    problem('activityProgress', `activityProgress must be one of ${ACTIVITY_PROGRESS.join(', ')}`);
  }
  if (typeof gradingProgress !== 'string' || !(GRADING_PROGRESS as readonly string[]).includes(gradingProgress)) {
    problem('gradingProgress', `gradingProgress must be one of ${GRADING_PROGRESS.join(', ')}`);
  }
  if (scoreGiven !== undefined && !(typeof scoreGiven === 'number' && Number.isFinite(scoreGiven) && scoreGiven >= 0)) {
    problem('scoreGiven', 'scoreGiven must be a finite number ≥ 0');
  }
  if (scoreMaximum !== undefined && !(typeof scoreMaximum === 'number' && Number.isFinite(scoreMaximum) && scoreMaximum > 0)) {
    problem('scoreMaximum', 'scoreMaximum must be a finite number > 0');
  }
  if (scoreGiven !== undefined && scoreMaximum === undefined) problem('scoreMaximum', 'scoreGiven is sent only with scoreMaximum (AGS §3.4)');
  if (comment !== undefined && typeof comment !== 'string') problem('comment', 'comment must be a string');
  if (scoringUserId !== undefined && (typeof scoringUserId !== 'string' || scoringUserId === ''))
    problem('scoringUserId', 'scoringUserId must be a non-empty string');
  if (submission !== undefined) {
    if (!isObject(submission)) problem('submission', 'submission must be an object');
    else {
      for (const [key, v] of Object.entries(submission)) {
        if ((key === 'startedAt' || key === 'submittedAt') && !isIsoDateTimeWithOffset(v)) {
          problems.push({ pointer: pointer('submission', key), message: `${key} must be an ISO 8601 date-time with an offset` });
        } else if (key !== 'startedAt' && key !== 'submittedAt') {
          problems.push({ pointer: pointer('submission', key), message: 'submission has startedAt and submittedAt only' });
        }
      }
    }
  }
  const extensions = value.extensions;
  if (extensions !== undefined) {
    if (!isObject(extensions)) problem('extensions', 'extensions must be an object');
    else
      for (const key of Object.keys(extensions))
        if (!isExtensionName(key)) problems.push({ pointer: pointer('extensions', key), message: 'an extension is named by a URI' });
  }
  for (const key of Object.keys(value)) {
    if (!FIELDS.has(key) && key !== 'extensions')
      problems.push({ pointer: pointer(key), message: `${key} is not a score field (extensions go in "extensions", named by URI)` });
  }
  return problems;
}

/** The score, checked (throws `score-invalid` listing every problem). */
export function checkScore(value: unknown): Score {
  const problems = scoreProblems(value);
  if (problems.length > 0) {
    throw new LtiServiceError('score-invalid', `the score is not valid: ${problems.map((p) => `${p.pointer || '/'} ${p.message}`).join('; ')}`, { problems });
  }
  return value as Score;
}

/** The score's JSON body as AGS defines it: extensions as top-level members beside the fields. */
export function scoreBody(score: Score): string {
  const { extensions, ...fields } = score;
  return JSON.stringify(extensions ? { ...extensions, ...fields } : fields);
}

function isExtensionName(key: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\S+$/i.test(key);
}
