/** LTI Assignment and Grade Services 2.0, tool side: line items (§3.2), scores (§3.4), results (§3.3). */
export {
  createLineItem,
  deleteLineItem,
  getLineItem,
  type LineItemPage,
  type LineItemQuery,
  listLineItems,
  readScopeFor,
  updateLineItem,
} from './ags-line-items.js';
export { type AgsResult, listResults, type ResultPage, type ResultQuery } from './ags-results.js';
export { postScore } from './ags-scores.js';
export type { LineItem, LineItemInput } from './line-item.js';
export { checkScore, type Score, scoreProblems } from './score.js';
export { lineItemSubresource } from './service-urls.js';
export { scoreTimestamp } from './timestamps.js';
