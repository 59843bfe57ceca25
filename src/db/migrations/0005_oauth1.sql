-- 0005 OAuth 1.0a request signing for OneRoster 1.1 clients (fact sheet §6.2–6.3).
--
-- HMAC-SHA1 needs the client secret itself, not a hash of it. A client created with OAuth 1.0a
-- enabled keeps its secret in the vault (encrypted under the tenant's data key); other clients keep
-- only the hash, as before. Revoking or deleting the client removes the secret with it.
ALTER TABLE oauth_clients ADD COLUMN oauth1_secret_id uuid REFERENCES vault_secrets (id);

-- Nonces already used with a timestamp, per client (RFC 5849 §3.3): a signed request can be replayed
-- only inside the timestamp window, and within it the nonce is refused the second time. Rows expire
-- with the window and are swept in small batches by the requests that insert them.
CREATE TABLE oauth1_nonces (
  client_id   text NOT NULL REFERENCES oauth_clients (client_id) ON DELETE CASCADE,
  nonce       text NOT NULL,
  timestamp_s bigint NOT NULL,
  expires_at  timestamptz NOT NULL,
  PRIMARY KEY (client_id, timestamp_s, nonce)
);
CREATE INDEX oauth1_nonces_expiry_idx ON oauth1_nonces (expires_at);
