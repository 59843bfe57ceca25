import { randomBytes } from 'node:crypto';

/** AGS line item as the platform keeps it (AGS §3.2; shared/standards/lti.md §8.3). */
export interface LineItem {
  id: string;
  contextId: string;
  /** The tool that owns it: a tool sees only its own line items (as in Canvas). */
  clientId: string;
  label: string;
  scoreMaximum: number;
  resourceLinkId?: string;
  resourceId?: string;
  tag?: string;
  startDateTime?: string;
  endDateTime?: string;
  gradesReleased?: boolean;
}

export type LineItemFields = Omit<LineItem, 'id' | 'contextId' | 'clientId'>;

/** A score as posted (AGS §3.4), kept as the latest per (line item, user). */
export interface StoredScore {
  userId: string;
  timestamp: string;
  activityProgress: string;
  gradingProgress: string;
  scoreGiven?: number;
  scoreMaximum?: number;
  comment?: string;
  scoringUserId?: string;
  submission?: { startedAt?: string; submittedAt?: string };
}

export class LineItemStore {
  private readonly items = new Map<string, LineItem>();
  private readonly scores = new Map<string, Map<string, StoredScore>>();

  create(contextId: string, clientId: string, fields: LineItemFields): LineItem {
    const item: LineItem = { ...fields, id: randomBytes(8).toString('hex'), contextId, clientId };
    this.items.set(item.id, item);
    return item;
  }

  get(id: string): LineItem | undefined {
    return this.items.get(id);
  }

  list(contextId: string, clientId: string, filter: { resourceLinkId?: string; resourceId?: string; tag?: string }): LineItem[] {
    return [...this.items.values()].filter(
      (i) =>
        i.contextId === contextId &&
        i.clientId === clientId &&
        (filter.resourceLinkId === undefined || i.resourceLinkId === filter.resourceLinkId) &&
        (filter.resourceId === undefined || i.resourceId === filter.resourceId) &&
        (filter.tag === undefined || i.tag === filter.tag),
    );
  }

  /** PUT is a full replacement; the id, context and owner never change (AGS §3.2.5). */
  replace(id: string, fields: LineItemFields): LineItem | undefined {
    const existing = this.items.get(id);
    if (!existing) return undefined;
    const item: LineItem = { ...fields, id, contextId: existing.contextId, clientId: existing.clientId };
    this.items.set(id, item);
    return item;
  }

  delete(id: string): boolean {
    this.scores.delete(id);
    return this.items.delete(id);
  }

  /** Applies the score unless an equal-or-newer one was already applied for that user ("stale"). */
  putScore(lineItemId: string, score: StoredScore): 'applied' | 'stale' {
    let byUser = this.scores.get(lineItemId);
    if (!byUser) {
      byUser = new Map();
      this.scores.set(lineItemId, byUser);
    }
    const previous = byUser.get(score.userId);
    if (previous && Date.parse(previous.timestamp) > Date.parse(score.timestamp)) return 'stale';
    byUser.set(score.userId, score);
    return 'applied';
  }

  scoresOf(lineItemId: string): StoredScore[] {
    return [...(this.scores.get(lineItemId)?.values() ?? [])];
  }
}
