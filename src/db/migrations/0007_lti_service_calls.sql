-- 0007 LTI Advantage service clients (src/lti/services): the log of every call EdHub makes to a
-- platform's token, NRPS and AGS endpoints, and the score outbox that makes grade passback durable.

-- One row per HTTP exchange (token requests included), written in batches by ServiceCallLog. The URL
-- has its query values redacted except the service parameters (service-call-log.ts). Rows outlive
-- the registration they belong to (platform_id is then null): they are history.
CREATE TABLE lti_service_calls (
  id           bigserial PRIMARY KEY,
  tenant_id    uuid NOT NULL REFERENCES tenants (id),
  platform_id  uuid REFERENCES lti_platforms (id) ON DELETE SET NULL,
  service      text NOT NULL CHECK (service IN ('token', 'nrps.memberships', 'ags.lineitems', 'ags.lineitem', 'ags.scores', 'ags.results')),
  method       text NOT NULL CHECK (method IN ('GET', 'POST', 'PUT', 'DELETE')),
  url          text NOT NULL,
  status       int,
  outcome      text NOT NULL CHECK (outcome IN ('ok', 'retoken', 'http-error', 'invalid-response', 'transport-error')),
  duration_ms  int NOT NULL,
  error        text,
  at           timestamptz NOT NULL
);
CREATE INDEX lti_service_calls_tenant_idx ON lti_service_calls (tenant_id, id);
CREATE INDEX lti_service_calls_at_idx ON lti_service_calls (at);

-- Scores waiting to be posted to a platform (AGS §3.4), posted, or given up on. A row is never
-- deleted by the delivery: 'failed' rows stay for inspection (and can be requeued) with the reason
-- (failure) and the platform's last answer. A row whose registration is removed keeps its data
-- (platform_id null) and fails as registration-missing. next_attempt_at doubles as the lease of a
-- row being delivered, so a worker that dies mid-delivery leaves it due again later.
CREATE TABLE lti_score_outbox (
  id               uuid PRIMARY KEY,
  tenant_id        uuid NOT NULL REFERENCES tenants (id),
  platform_id      uuid REFERENCES lti_platforms (id) ON DELETE SET NULL,
  line_item_url    text NOT NULL CHECK (length(line_item_url) BETWEEN 1 AND 2048),
  user_id          text COLLATE "C" NOT NULL CHECK (length(user_id) BETWEEN 1 AND 255),
  score            jsonb NOT NULL,
  state            text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
  failure          text CHECK (failure IN ('stale-score', 'rejected', 'attempts-exhausted', 'registration-missing', 'undeliverable')),
  attempts         int NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz NOT NULL,
  last_status      int,
  last_error       text,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL,
  sent_at          timestamptz,
  CHECK ((state = 'failed') = (failure IS NOT NULL))
);
CREATE INDEX lti_score_outbox_due_idx ON lti_score_outbox (next_attempt_at, id) WHERE state = 'pending';
CREATE INDEX lti_score_outbox_tenant_idx ON lti_score_outbox (tenant_id, state, created_at, id);
