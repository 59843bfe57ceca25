import type { OutboundResponse } from '../outbound/outbound-http.js';
import type { ValidationProblem } from './json-pointer.js';
import { type NrpsMember, readMember } from './nrps-member.js';
import { followPages } from './paging.js';
import { invalid, isObject, readJson } from './read-json.js';
import type { LtiServiceClient } from './service-client.js';
import { withQuery } from './service-urls.js';
import { MEDIA_TYPE, SCOPE } from './vocabulary.js';

export type { NrpsMember } from './nrps-member.js';

/** NRPS §2.4 query options, merged into the memberships URL's own query string. */
export interface MembershipQuery {
  /** A role URI (or a short context role name) to filter on. */
  role?: string;
  /** Page size asked for; the platform may use another. */
  limit?: number;
  /** A resource link id: each member then carries that link's message claims (NRPS §3). */
  rlid?: string;
  /** Pages followed at most (default paging.ts DEFAULT_MAX_PAGES). */
  maxPages?: number;
}

export interface MembershipPage {
  /** The URL this page was read from. */
  url: string;
  /** 1 for the first page. */
  number: number;
  context: { id: string; label?: string; title?: string } | null;
  /** The valid members of this page. */
  members: NrpsMember[];
  /** Members left out, and fields ignored, each with a JSON pointer into this page's body. */
  problems: ValidationProblem[];
  /**
   * The `rel="differences"` link, when the platform sent one: keep the last page's, and fetch it next
   * time to get only what changed since this fetch (NRPS §2.4.2; Deleted members included).
   */
  differencesUrl?: string;
}

/** Both NRPS media types (fact sheet §9: older Canvas and Moodle answer with the lis.v2 one). */
const ACCEPT = `${MEDIA_TYPE.membershipContainer}, ${MEDIA_TYPE.legacyMembershipContainer};q=0.9`;
const MEDIA_TYPES = [MEDIA_TYPE.membershipContainer, MEDIA_TYPE.legacyMembershipContainer];

/**
 * A context's memberships (NRPS 2.0 §2), page by page: `for await (const page of fetchMemberships(…))`.
 * `membershipsUrl` is the launch's `context_memberships_url` (or a `differencesUrl` kept from an earlier
 * fetch). Memory holds one page at a time. The listing is complete only when the loop ends without an
 * error: reconciliation must not treat members missing from a failed fetch as gone.
 */
export async function* fetchMemberships(client: LtiServiceClient, membershipsUrl: string, query: MembershipQuery = {}): AsyncGenerator<MembershipPage> {
  const first = withQuery(membershipsUrl, { role: query.role, limit: query.limit, rlid: query.rlid }, 'the memberships URL');
  const pages = followPages(
    client,
    first,
    {
      service: 'nrps.memberships',
      scopes: [SCOPE.contextMembershipReadOnly],
      accept: ACCEPT,
      ...(query.maxPages !== undefined ? { maxPages: query.maxPages } : {}),
    },
    readContainer,
  );
  for await (const page of pages) {
    yield { url: page.url, number: page.number, ...page.value, ...(page.differences !== undefined ? { differencesUrl: page.differences } : {}) };
  }
}

function readContainer(res: OutboundResponse): Pick<MembershipPage, 'context' | 'members' | 'problems'> {
  const body = readJson(res, MEDIA_TYPES, 'membership container');
  if (!isObject(body)) throw invalid(res, 'membership container: the body is not a JSON object');
  if (!Array.isArray(body.members)) throw invalid(res, 'membership container: members is not an array');
  const problems: ValidationProblem[] = [];
  let context: MembershipPage['context'] = null;
  if (isObject(body.context) && typeof body.context.id === 'string') {
    const { id, label, title } = body.context;
    context = { id, ...(typeof label === 'string' ? { label } : {}), ...(typeof title === 'string' ? { title } : {}) };
  } else if (body.context !== undefined) {
    problems.push({ pointer: '/context', message: 'context must be an object with a string id; ignored' });
  }
  const members: NrpsMember[] = [];
  body.members.forEach((raw, i) => {
    const read = readMember(raw, i);
    if (read.member) members.push(read.member);
    problems.push(...read.problems);
  });
  return { context, members, problems };
}
