/**
 * ltijs 5.9 as an independent LTI tool, run in its own process (ltijs is a process-wide singleton that
 * builds its own Express 4 app) on PostgreSQL through ltijs-sequelize. Configured by the environment
 * (messages.ts LtijsPeerEnv), driven over IPC. Its pages print what ltijs accepted, so the test can
 * assert on ltijs's view of each launch, and its /nrps and /ags routes make ltijs call the platform's
 * services with its own client assertions.
 */
import { createServer } from 'node:http';
import ltijs, { type IdToken, type LtiResponse } from 'ltijs';
import Database from 'ltijs-sequelize';
import type { FromChild, ToChild } from './messages.js';

const lti = ltijs.Provider;
const env = process.env;
const port = Number(env.LTIJS_PEER_PORT);
const base = `http://127.0.0.1:${port}`;
const send = (message: FromChild) => process.send?.(message);

const escapeHtml = (value: unknown) => String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** What ltijs made of a launch, as it hands it to the application. */
function launchView(token: IdToken, ltik: string | undefined, query: Record<string, unknown>) {
  const c = token.platformContext;
  return {
    iss: token.iss,
    clientId: token.clientId,
    deploymentId: token.deploymentId,
    user: token.user,
    userInfo: token.userInfo,
    messageType: c.messageType,
    roles: c.roles,
    context: c.context,
    resource: c.resource,
    targetLinkUri: c.targetLinkUri,
    custom: c.custom,
    endpoint: c.endpoint,
    namesRoles: c.namesRoles,
    query,
    ltik,
  };
}

function fail(res: LtiResponse, err: unknown) {
  res.status(502).json({ error: (err as Error).message, response: (err as { response?: { body?: string } }).response?.body });
}

async function main() {
  const db = new Database(env.LTIJS_PEER_DB_NAME as string, env.LTIJS_PEER_DB_USER as string, env.LTIJS_PEER_DB_PASSWORD ?? '', {
    host: env.LTIJS_PEER_DB_HOST,
    port: Number(env.LTIJS_PEER_DB_PORT),
    dialect: 'postgres',
    logging: false,
  });
  lti.setup(
    'ltijs-peer-encryption-key',
    { plugin: db },
    {
      appRoute: '/',
      loginRoute: '/login',
      keysetRoute: '/keys',
      dynRegRoute: '/register',
      cookies: { secure: false, sameSite: '' },
      devMode: false,
      // ltijs's default of 10 s is its own known pitfall (shared/standards/lti.md §14.8).
      tokenMaxAge: 60,
      dynReg: { url: base, name: 'ltijs peer', description: 'ltijs as an independent LTI tool', autoActivate: true },
    },
  );

  lti.onConnect((token, req, res) => {
    const view = launchView(token, res.locals.ltik, req.query);
    res.send(
      `<!doctype html><html><body><h1>ltijs launch</h1><p id="user">${escapeHtml(token.userInfo.name ?? token.user)}</p>` +
        `<pre id="launch">${escapeHtml(JSON.stringify(view))}</pre></body></html>`,
    );
  });

  lti.onDeepLinking(async (token, _req, res) => {
    const items = [
      {
        type: 'ltiResourceLink',
        title: 'ltijs chapter 1',
        url: `${base}/?chapter=1`,
        custom: { chapter: '1' },
        lineItem: { scoreMaximum: 10, label: 'Chapter 1 quiz' },
      },
    ];
    res.send(await lti.DeepLinking.createDeepLinkingForm(token, items, { message: 'ltijs picked one chapter' }));
  });

  lti.onInvalidToken((_req, res) => res.status(401).json({ refusedBy: 'ltijs', err: res.locals.err }));

  // NRPS through ltijs: it fetches an access token with its own client assertion, then the members.
  lti.app.get('/nrps', async (_req, res) => {
    try {
      res.json(await lti.NamesAndRoles.getMembers(res.locals.token as IdToken, { pages: false }));
    } catch (err) {
      fail(res, err);
    }
  });

  // AGS through ltijs: create a line item for the launched link, post a score, read the results back.
  lti.app.post('/ags', async (_req, res) => {
    try {
      const token = res.locals.token as IdToken;
      const lineItem = await lti.Grade.createLineItem(token, { scoreMaximum: 10, label: 'ltijs quiz', resourceLinkId: token.platformContext.resource?.id });
      await lti.Grade.submitScore(token, lineItem.id, {
        userId: token.user,
        scoreGiven: 7,
        scoreMaximum: 10,
        activityProgress: 'Completed',
        gradingProgress: 'FullyGraded',
      });
      const results = await lti.Grade.getScores(token, lineItem.id);
      res.json({ lineItem, results: results.scores });
    } catch (err) {
      fail(res, err);
    }
  });

  await lti.deploy({ serverless: true, silent: true });
  const server = createServer(lti.app);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));

  process.on('message', async (message: ToChild) => {
    try {
      if (message.type === 'register-platform') {
        const platform = await lti.registerPlatform(message.platform);
        send({ type: 'registered', kid: await platform.platformKid() });
      } else if (message.type === 'shutdown') {
        server.close();
        server.closeAllConnections();
        await lti.close({ silent: true });
        process.exit(0);
      }
    } catch (err) {
      send({ type: 'failed', message: (err as Error).message });
    }
  });
  send({ type: 'ready', url: base });
}

main().catch((err) => {
  send({ type: 'failed', message: (err as Error).stack ?? String(err) });
  process.exit(1);
});
