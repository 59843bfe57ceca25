/**
 * LTI Advantage service clients, tool side (issue 6): service access tokens (SEC §4.1), Names and Role
 * Provisioning Services 2.0, Assignment and Grade Services 2.0, the call log and the score outbox.
 * Roster reconciliation and grade passback use what is exported here.
 */
export { type AccessToken, createServiceTokens, type ServiceTokens } from './access-tokens.js';
export * from './ags.js';
export { type AssertionSigner, clientAssertion } from './client-assertion.js';
export { type DeliveryOptions, type DeliveryReport, deliverDueScores } from './deliver-due-scores.js';
export { type AgsEndpoint, agsEndpointOf, type NrpsEndpoint, nrpsEndpointOf } from './endpoint-claims.js';
export type { ValidationProblem } from './json-pointer.js';
export { createLtiServices, type LtiServices, type LtiServicesDeps } from './lti-services.js';
export { fetchMemberships, type MembershipPage, type MembershipQuery, type NrpsMember } from './nrps.js';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './outbox-policy.js';
export {
  enqueueScores,
  listOutbox,
  type OutboxEntry,
  type OutboxFailure,
  type OutboxState,
  requeueScore,
  type ScoreToSend,
} from './score-outbox.js';
export { type CallOutcome, type LoggedServiceCall, listServiceCalls, pruneServiceCalls, type ServiceName } from './service-call-log.js';
export type { LtiServiceClient } from './service-client.js';
export { LtiServiceError, SERVICE_ERRORS, type ServiceErrorCode, type ServiceErrorDetails } from './service-errors.js';
export { ACTIVITY_PROGRESS, type ActivityProgress, GRADING_PROGRESS, type GradingProgress, MEDIA_TYPE, type MemberStatus, SCOPE } from './vocabulary.js';
