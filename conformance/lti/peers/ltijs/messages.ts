import type { PlatformRegistration } from 'ltijs';

/** What the test process and the ltijs child process say to each other over the IPC channel. */
export type ToChild = { type: 'register-platform'; platform: PlatformRegistration } | { type: 'shutdown' };
export type FromChild = { type: 'ready'; url: string } | { type: 'registered'; kid: string } | { type: 'failed'; message: string };

/** Environment of the child: where it listens and which throwaway database it uses. */
export interface LtijsPeerEnv {
  LTIJS_PEER_PORT: string;
  LTIJS_PEER_DB_NAME: string;
  LTIJS_PEER_DB_HOST: string;
  LTIJS_PEER_DB_PORT: string;
  LTIJS_PEER_DB_USER: string;
  LTIJS_PEER_DB_PASSWORD: string;
}
