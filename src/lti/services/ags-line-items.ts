import type { OutboundResponse } from '../outbound/outbound-http.js';
import type { ValidationProblem } from './json-pointer.js';
import { checkLineItemInput, type LineItem, type LineItemInput, readLineItem } from './line-item.js';
import { followPages } from './paging.js';
import { invalid, readJson } from './read-json.js';
import type { LtiServiceClient } from './service-client.js';
import { parseServiceUrl, withQuery } from './service-urls.js';
import { MEDIA_TYPE, SCOPE } from './vocabulary.js';

/**
 * AGS 2.0 §3.2 line items. Reads ask for the `lineitem.readonly` scope unless told otherwise
 * (`readScopeFor` picks from what the launch's AGS claim offers); writes need `lineitem`.
 */
export interface LineItemQuery {
  /** AGS §3.2.3 filters. */
  resourceLinkId?: string;
  resourceId?: string;
  tag?: string;
  limit?: number;
  maxPages?: number;
  /** The scope to read with (default lineitem.readonly). */
  scope?: string;
}

export interface LineItemPage {
  url: string;
  number: number;
  lineItems: LineItem[];
  /** Items left out (or fields ignored), with JSON pointers into this page's body. */
  problems: ValidationProblem[];
}

/** The read scope to ask for, given the scopes the AGS claim offers (absent: assume readonly is offered). */
export function readScopeFor(offered: readonly string[] | undefined): string {
  if (!offered || offered.includes(SCOPE.lineItemReadOnly) || !offered.includes(SCOPE.lineItem)) return SCOPE.lineItemReadOnly;
  return SCOPE.lineItem;
}

export async function* listLineItems(client: LtiServiceClient, lineItemsUrl: string, query: LineItemQuery = {}): AsyncGenerator<LineItemPage> {
  const first = withQuery(
    lineItemsUrl,
    { resource_link_id: query.resourceLinkId, resource_id: query.resourceId, tag: query.tag, limit: query.limit },
    'the line items URL',
  );
  const pages = followPages(
    client,
    first,
    {
      service: 'ags.lineitems',
      scopes: [query.scope ?? SCOPE.lineItemReadOnly],
      accept: MEDIA_TYPE.lineItemContainer,
      ...(query.maxPages !== undefined ? { maxPages: query.maxPages } : {}),
    },
    readContainer,
  );
  for await (const page of pages) yield { url: page.url, number: page.number, ...page.value };
}

export async function getLineItem(client: LtiServiceClient, lineItemUrl: string, options: { scope?: string } = {}): Promise<LineItem> {
  const url = parseServiceUrl(lineItemUrl, 'the line item URL').toString();
  return client.call(
    { service: 'ags.lineitem', method: 'GET', url, scopes: [options.scope ?? SCOPE.lineItemReadOnly], accept: MEDIA_TYPE.lineItem },
    readSingle,
  );
}

/** POST to the container (AGS §3.2.4); the platform's answer, with the new line item's id (URL). */
export async function createLineItem(client: LtiServiceClient, lineItemsUrl: string, item: LineItemInput): Promise<LineItem> {
  const body = JSON.stringify(checkLineItemInput(item));
  const url = parseServiceUrl(lineItemsUrl, 'the line items URL').toString();
  return client.call(
    { service: 'ags.lineitems', method: 'POST', url, scopes: [SCOPE.lineItem], accept: MEDIA_TYPE.lineItem, contentType: MEDIA_TYPE.lineItem, body },
    readSingle,
  );
}

/** PUT (AGS §3.2.5): a full replacement — fields left out are cleared; the id never changes. */
export async function updateLineItem(client: LtiServiceClient, lineItemUrl: string, item: LineItemInput): Promise<LineItem> {
  const fields = checkLineItemInput(item);
  const url = parseServiceUrl(lineItemUrl, 'the line item URL').toString();
  return client.call(
    {
      service: 'ags.lineitem',
      method: 'PUT',
      url,
      scopes: [SCOPE.lineItem],
      accept: MEDIA_TYPE.lineItem,
      contentType: MEDIA_TYPE.lineItem,
      body: JSON.stringify({ id: lineItemUrl, ...fields }),
    },
    readSingle,
  );
}

export async function deleteLineItem(client: LtiServiceClient, lineItemUrl: string): Promise<void> {
  const url = parseServiceUrl(lineItemUrl, 'the line item URL').toString();
  await client.call({ service: 'ags.lineitem', method: 'DELETE', url, scopes: [SCOPE.lineItem] }, () => undefined);
}

function readSingle(res: OutboundResponse): LineItem {
  const read = readLineItem(readJson(res, [MEDIA_TYPE.lineItem], 'line item'), '');
  if (!read.item) throw invalid(res, `line item: ${read.problems.map((p) => `${p.pointer} ${p.message}`).join('; ')}`);
  return read.item;
}

function readContainer(res: OutboundResponse): Pick<LineItemPage, 'lineItems' | 'problems'> {
  const body = readJson(res, [MEDIA_TYPE.lineItemContainer], 'line item container');
  if (!Array.isArray(body)) throw invalid(res, 'line item container: the body is not a JSON array');
  const lineItems: LineItem[] = [];
  const problems: ValidationProblem[] = [];
  body.forEach((raw, i) => {
    const read = readLineItem(raw, `/${i}`);
    if (read.item) lineItems.push(read.item);
    problems.push(...read.problems);
  });
  return { lineItems, problems };
}
