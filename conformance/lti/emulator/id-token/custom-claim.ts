import type { EmulatedContext, EmulatedResourceLink, EmulatedUser } from '../state/directory.js';
import type { ToolRegistration } from '../state/tool-registry.js';
import { type MessageType, vocabulary } from '../vocabulary.js';

/** What the custom claim of one message for one user is made from. */
export interface CustomSources {
  tool: ToolRegistration;
  messageType: MessageType;
  user: EmulatedUser;
  context?: EmulatedContext;
  resourceLink?: EmulatedResourceLink;
  /** The launch's own custom parameters (highest precedence). */
  launchCustom?: Record<string, string>;
}

/**
 * The custom claim (CORE §5.4.6): the tool's registered custom parameters, then the message's, the
 * resource link's and the launch's own, with the platform's substitution variables replaced
 * (e.g. `$User.id`, `$ResourceLink.id`; the table is in standards/lti/emulator-vocabulary.json).
 * A variable the platform cannot resolve is sent unchanged, as the spec asks.
 */
export function customClaim(sources: CustomSources): Record<string, string> | undefined {
  const { tool, messageType, resourceLink, launchCustom } = sources;
  const message = tool.messages.find((m) => m.type === messageType);
  const merged = { ...tool.customParameters, ...message?.customParameters, ...resourceLink?.custom, ...launchCustom };
  const entries = Object.entries(merged).map(([name, value]) => [name, substitute(value, sources)] as const);
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

function substitute(value: string, sources: CustomSources): string {
  const path = vocabulary.substitutionVariables[value];
  if (!path) return value;
  const [kind, field] = path.split('.') as ['user' | 'context' | 'resourceLink', string];
  const source = sources[kind] as unknown as Record<string, unknown> | undefined;
  const resolved = source?.[field];
  return typeof resolved === 'string' ? resolved : value;
}
