/**
 * The people, courses and resource links the emulated platform knows: who can be launched, into
 * which context, from which link. Plain data, one directory per emulator instance.
 */
export interface EmulatedUser {
  /** The `sub` claim and the NRPS user_id; also the login_hint the emulator sends. */
  id: string;
  /** Display label on the console page (never sent to tools). */
  label?: string;
  name?: string;
  givenName?: string;
  familyName?: string;
  middleName?: string;
  email?: string;
  picture?: string;
  locale?: string;
  /** LIS person sourcedId (lis.person_sourcedid) — lets tools map the user to OneRoster. */
  sourcedId?: string;
  /** Role URIs sent in the roles claim, verbatim: short, unknown and empty lists are allowed on purpose. */
  roles: string[];
  /** For mentors: the user ids sent in role_scope_mentor. */
  mentees?: string[];
}

export interface EmulatedContext {
  id: string;
  label?: string;
  title?: string;
  /** Context type URIs, e.g. http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering. */
  type?: string[];
  /** lis.course_offering_sourcedid / course_section_sourcedid. */
  sourcedId?: string;
  /** User ids enrolled; their roles in the context are their `roles`. */
  members: string[];
  /** Members whose enrolment is suspended (NRPS status Inactive). */
  inactive?: string[];
}

export interface EmulatedResourceLink {
  id: string;
  contextId: string;
  title?: string;
  description?: string;
  /** The tool this link launches (a client_id); absent = any tool. */
  clientId?: string;
  /** Launch URL chosen for this link (a Deep Linking `ltiResourceLink.url`). */
  url?: string;
  custom?: Record<string, string>;
}

export interface DirectoryData {
  users: EmulatedUser[];
  contexts: EmulatedContext[];
  resourceLinks: EmulatedResourceLink[];
}

/** NRPS needs to know when a membership changed, for `rel="differences"` (§9). */
export interface MembershipChange {
  contextId: string;
  userId: string;
  status: 'Active' | 'Inactive' | 'Deleted';
  at: number;
}

export class Directory {
  private readonly users = new Map<string, EmulatedUser>();
  private readonly contexts = new Map<string, EmulatedContext>();
  private readonly links = new Map<string, EmulatedResourceLink>();
  private readonly changes: MembershipChange[] = [];

  constructor(
    data: DirectoryData,
    private readonly now: () => number,
  ) {
    for (const u of data.users) this.putUser(u);
    for (const c of data.contexts) this.putContext(c);
    for (const l of data.resourceLinks) this.putResourceLink(l);
  }

  user(id: string): EmulatedUser | undefined {
    return this.users.get(id);
  }
  context(id: string): EmulatedContext | undefined {
    return this.contexts.get(id);
  }
  resourceLink(id: string): EmulatedResourceLink | undefined {
    return this.links.get(id);
  }
  listUsers(): EmulatedUser[] {
    return [...this.users.values()];
  }
  listContexts(): EmulatedContext[] {
    return [...this.contexts.values()];
  }
  listResourceLinks(contextId?: string): EmulatedResourceLink[] {
    return [...this.links.values()].filter((l) => contextId === undefined || l.contextId === contextId);
  }

  putUser(user: EmulatedUser): EmulatedUser {
    this.users.set(user.id, structuredClone(user));
    return user;
  }

  putContext(context: EmulatedContext): EmulatedContext {
    const before = new Set(this.contexts.get(context.id)?.members ?? []);
    this.contexts.set(context.id, structuredClone(context));
    for (const userId of context.members) if (!before.has(userId)) this.recordChange(context.id, userId, 'Active');
    for (const userId of before) if (!context.members.includes(userId)) this.recordChange(context.id, userId, 'Deleted');
    return context;
  }

  putResourceLink(link: EmulatedResourceLink): EmulatedResourceLink {
    if (!this.contexts.has(link.contextId)) throw new Error(`resource link ${link.id}: unknown context ${link.contextId}`);
    this.links.set(link.id, structuredClone(link));
    return link;
  }

  /** Enrol or drop a user; the change is what NRPS `differences` reports. */
  setMembership(contextId: string, userId: string, status: MembershipChange['status']): void {
    const context = this.contexts.get(contextId);
    if (!context) throw new Error(`unknown context ${contextId}`);
    if (!this.users.has(userId)) throw new Error(`unknown user ${userId}`);
    context.members = context.members.filter((m) => m !== userId);
    context.inactive = (context.inactive ?? []).filter((m) => m !== userId);
    if (status !== 'Deleted') context.members.push(userId);
    if (status === 'Inactive') context.inactive.push(userId);
    this.recordChange(contextId, userId, status);
  }

  /** The latest change per user in the context since `since` (ms), oldest first. */
  changesSince(contextId: string, since: number): MembershipChange[] {
    const latest = new Map<string, MembershipChange>();
    for (const c of this.changes) if (c.contextId === contextId && c.at > since) latest.set(c.userId, c);
    return [...latest.values()];
  }

  private recordChange(contextId: string, userId: string, status: MembershipChange['status']): void {
    this.changes.push({ contextId, userId, status, at: this.now() });
  }
}
