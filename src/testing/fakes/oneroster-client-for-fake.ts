import { createOneRosterClient, type OneRosterClient, type OneRosterClientOptions, type RequestEvent } from '../../oneroster/client/index.js';
import { type FakeOneRosterProvider, type FakeProviderOptions, startFakeOneRosterProvider, TOKEN_PATH } from './fake-oneroster-provider.js';

/** A fake provider and a client pointed at it, with the client's sleeps and attempts recorded. */
export interface FakeAndClient {
  fake: FakeOneRosterProvider;
  client: OneRosterClient;
  /** Every wait the client asked for, in ms (the injected sleep returns at once). */
  sleeps: number[];
  events: RequestEvent[];
}

export const FAKE_CLIENT_ID = 'edhub-consumer';
/** Characters that RFC 6749 §2.3.1 form-encoding and RFC 5849 percent-encoding must both get right. */
export const FAKE_CLIENT_SECRET = "s3cret: with space & 'quotes'+plus";

export async function fakeAndClient(
  fakeOptions: Partial<FakeProviderOptions> & Pick<FakeProviderOptions, 'data'>,
  clientOptions: Partial<OneRosterClientOptions> | ((fake: FakeOneRosterProvider) => Partial<OneRosterClientOptions>) = {},
): Promise<FakeAndClient> {
  const fake = await startFakeOneRosterProvider({
    version: '1.2',
    paths: 'v1p2',
    auth: 'oauth2',
    clientId: FAKE_CLIENT_ID,
    clientSecret: FAKE_CLIENT_SECRET,
    ...fakeOptions,
  });
  const sleeps: number[] = [];
  const events: RequestEvent[] = [];
  const client = createOneRosterClient({
    baseUrl: fake.baseUrl,
    version: fakeOptions.version ?? '1.2',
    auth:
      (fakeOptions.auth ?? 'oauth2') === 'oauth2'
        ? { kind: 'oauth2', tokenUrl: `${fake.url}${TOKEN_PATH}`, clientId: FAKE_CLIENT_ID, clientSecret: FAKE_CLIENT_SECRET }
        : { kind: 'oauth1', consumerKey: FAKE_CLIENT_ID, consumerSecret: FAKE_CLIENT_SECRET },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    onRequest: (event) => events.push(event),
    ...(typeof clientOptions === 'function' ? clientOptions(fake) : clientOptions),
  });
  return { fake, client, sleeps, events };
}

export async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
