import assert from 'node:assert/strict';
import { formatReportJson, formatReportText, type LtiSuiteReport, platformDetailsLines } from './report.js';

const report: LtiSuiteReport = {
  tool: { loginUrl: 'https://tool.example/login', launchUrls: ['https://tool.example/launch'], jwksUrl: 'https://tool.example/jwks' },
  platform: {
    issuer: 'http://127.0.0.1:8730',
    clientId: 'client-1',
    deploymentId: 'deployment-1',
    authorizationUrl: 'http://127.0.0.1:8730/lti/auth',
    tokenUrl: 'http://127.0.0.1:8730/lti/token',
    jwksUrl: 'http://127.0.0.1:8730/.well-known/jwks.json',
    openidConfigurationUrl: 'http://127.0.0.1:8730/.well-known/openid-configuration',
    kid: 'kid-1',
    registeredBy: 'hand',
  },
  cases: [
    {
      id: 'no-kid',
      name: 'Correct KID Required in Header',
      description: 'no kid',
      expected: 'reject',
      outcome: 'rejected',
      observed: { status: 401, url: 'https://tool.example/launch', text: 'Launch refused' },
      pass: true,
      reason: 'rejected (401)',
      durationMs: 12,
    },
    {
      id: 'wrong-aud',
      name: null,
      description: 'aud is another client',
      expected: 'reject',
      outcome: 'accepted',
      observed: { status: 200, url: 'https://tool.example/launch?x=1', text: 'Welcome' },
      pass: false,
      reason: 'accepted',
      durationMs: 9,
    },
    {
      id: 'student',
      name: null,
      description: 'a learner',
      expected: 'accept',
      outcome: 'failure',
      observed: { url: 'https://tool.example/launch', error: 'no answer within 10000 ms' },
      pass: false,
      reason: 'timeout: no answer from https://tool.example/launch within 10000 ms',
      durationMs: 10_003,
    },
  ],
  totals: { cases: 3, passed: 1, failed: 2, durationMs: 10_250 },
};

describe('suite report printers', () => {
  it('prints the platform details a tool needs, registration named', () => {
    assert.deepEqual(platformDetailsLines(report.platform), [
      'LTI 1.3 platform emulator (tool registered by hand):',
      '  issuer                 http://127.0.0.1:8730',
      '  client_id              client-1',
      '  deployment_id          deployment-1',
      '  OIDC auth endpoint     http://127.0.0.1:8730/lti/auth',
      '  token endpoint         http://127.0.0.1:8730/lti/token',
      '  JWKS                   http://127.0.0.1:8730/.well-known/jwks.json  (kid kid-1)',
      '  OpenID configuration   http://127.0.0.1:8730/.well-known/openid-configuration',
    ]);
  });

  it('prints a pass/fail table, the detail of each failed case, and the totals', () => {
    assert.equal(
      formatReportText(report),
      [
        'result  case       expected  observed     ms     reason',
        'PASS    no-kid     reject    401 /launch  12     rejected (401)',
        'FAIL    wrong-aud  reject    200 /launch  9      accepted',
        'FAIL    student    accept    no page      10003  timeout: no answer from https://tool.example/launch within 10000 ms',
        '',
        'Failed cases:',
        'wrong-aud: accepted',
        '  case      aud is another client',
        '  final URL https://tool.example/launch?x=1',
        '  page      Welcome',
        'student: timeout: no answer from https://tool.example/launch within 10000 ms',
        '  case      a learner',
        '  final URL https://tool.example/launch',
        '  error     no answer within 10000 ms',
        '',
        '3 cases: 1 passed, 2 failed (10.3 s)',
        '',
      ].join('\n'),
    );
  });

  it('prints JSON that reads back as the report', () => {
    const text = formatReportJson(report);
    assert.ok(text.endsWith('}\n'));
    assert.deepEqual(JSON.parse(text), report);
  });
});
