import { ID_MAX_LENGTH } from '../claims.js';
import type { OutboundResponse } from '../outbound/outbound-http.js';
import { pointer, type ValidationProblem } from './json-pointer.js';
import { followPages } from './paging.js';
import { invalid, isObject, readJson } from './read-json.js';
import type { LtiServiceClient } from './service-client.js';
import { lineItemSubresource, withQuery } from './service-urls.js';
import { MEDIA_TYPE, SCOPE } from './vocabulary.js';

/** A result (AGS §3.3; fact sheet §8.5): the platform's current grade of one user on one line item. */
export interface AgsResult {
  id?: string;
  /** The line item URL. */
  scoreOf?: string;
  userId: string;
  resultScore?: number;
  resultMaximum?: number;
  comment?: string;
  scoringUserId?: string;
}

export interface ResultQuery {
  /** Only this user's result (AGS §3.3.1 `user_id`). */
  userId?: string;
  limit?: number;
  maxPages?: number;
}

export interface ResultPage {
  url: string;
  number: number;
  results: AgsResult[];
  problems: ValidationProblem[];
}

/** GET `{lineitem}/results` (path before the query string), paged. */
export async function* listResults(client: LtiServiceClient, lineItemUrl: string, query: ResultQuery = {}): AsyncGenerator<ResultPage> {
  const first = withQuery(lineItemSubresource(lineItemUrl, 'results'), { user_id: query.userId, limit: query.limit }, 'the results URL');
  const pages = followPages(
    client,
    first,
    {
      service: 'ags.results',
      scopes: [SCOPE.resultReadOnly],
      accept: MEDIA_TYPE.resultContainer,
      ...(query.maxPages !== undefined ? { maxPages: query.maxPages } : {}),
    },
    readContainer,
  );
  for await (const page of pages) yield { url: page.url, number: page.number, ...page.value };
}

function readContainer(res: OutboundResponse): Pick<ResultPage, 'results' | 'problems'> {
  const body = readJson(res, [MEDIA_TYPE.resultContainer], 'result container');
  if (!Array.isArray(body)) throw invalid(res, 'result container: the body is not a JSON array');
  const results: AgsResult[] = [];
  const problems: ValidationProblem[] = [];
  for (const [i, raw] of body.entries()) {
    if (!isObject(raw)) {
      problems.push({ pointer: pointer(i), message: 'a result must be a JSON object' });
      continue;
    }
    if (typeof raw.userId !== 'string' || raw.userId === '' || raw.userId.length > ID_MAX_LENGTH) {
      problems.push({ pointer: pointer(i, 'userId'), message: `userId must be a string of 1–${ID_MAX_LENGTH} characters` });
      continue;
    }
    const result: AgsResult = { userId: raw.userId };
    for (const field of ['id', 'scoreOf', 'comment', 'scoringUserId'] as const) {
      const v = raw[field];
      if (typeof v === 'string') result[field] = v;
      else if (v !== undefined && v !== null) problems.push({ pointer: pointer(i, field), message: `${field} must be a string; ignored` });
    }
    for (const field of ['resultScore', 'resultMaximum'] as const) {
      const v = raw[field];
      if (typeof v === 'number' && Number.isFinite(v)) result[field] = v;
      else if (v !== undefined && v !== null) problems.push({ pointer: pointer(i, field), message: `${field} must be a number; ignored` });
    }
    results.push(result);
  }
  return { results, problems };
}
