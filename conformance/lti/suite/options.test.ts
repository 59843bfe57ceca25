import assert from 'node:assert/strict';
import { DEFAULT_TIMEOUT_MS, type LtiToolSuiteOptions, resolveSuiteOptions, SuiteSetupError } from './options.js';

const TOOL = { loginUrl: 'https://tool.example/lti/login', launchUrl: 'https://tool.example/lti/launch', jwksUrl: 'https://tool.example/jwks' };
const HAND = { ...TOOL, clientId: 'client-1', deploymentId: 'deployment-1' };

function refused(options: Partial<LtiToolSuiteOptions>, message: RegExp) {
  assert.throws(
    () => resolveSuiteOptions(options as LtiToolSuiteOptions),
    (err: unknown) => err instanceof SuiteSetupError && message.test(err.message),
  );
}

describe('suite options (the flags of edhub conformance lti-tool)', () => {
  it('resolves a by-hand run with its defaults', () => {
    const o = resolveSuiteOptions(HAND);
    assert.deepEqual(o.registration, { kind: 'hand', clientId: 'client-1', deploymentId: 'deployment-1' });
    assert.deepEqual(o.launchUrls, ['https://tool.example/lti/launch']);
    assert.deepEqual(o.emulator, { host: '127.0.0.1', port: 0, publicUrl: undefined, issuer: undefined, keyFile: undefined });
    assert.deepEqual([o.only, o.timeoutMs, o.anonymousLaunches, o.acceptText, o.rejectText], [[], DEFAULT_TIMEOUT_MS, false, undefined, undefined]);
    assert.equal(DEFAULT_TIMEOUT_MS, 10_000);
  });

  it('takes flags as commander hands them: strings for numbers, repeated and comma-separated lists, URLs untouched', () => {
    const o = resolveSuiteOptions({
      loginUrl: 'http://127.0.0.1:3000/login',
      launchUrl: ['http://127.0.0.1:3000/launch', 'http://127.0.0.1:3000/launch?a=1,2'],
      jwksUrl: 'http://127.0.0.1:3000/jwks',
      registrationUrl: 'http://127.0.0.1:3000/register/abc',
      emulatorHost: '0.0.0.0',
      emulatorPort: '8731',
      emulatorPublicUrl: 'https://lms.test',
      emulatorIssuer: 'https://lms.test/issuer',
      keyFile: '/tmp/emulator-key.json',
      only: ['no-kid,wrong-aud', ' student '],
      acceptText: 'Welcome, .+',
      rejectText: 'error',
      timeoutMs: '2500',
      anonymousLaunches: true,
    });
    assert.deepEqual(o.registration, { kind: 'dynamic-registration', registrationUrl: 'http://127.0.0.1:3000/register/abc' });
    assert.deepEqual(o.launchUrls, ['http://127.0.0.1:3000/launch', 'http://127.0.0.1:3000/launch?a=1,2']);
    assert.deepEqual(o.emulator, {
      host: '0.0.0.0',
      port: 8731,
      publicUrl: 'https://lms.test',
      issuer: 'https://lms.test/issuer',
      keyFile: '/tmp/emulator-key.json',
    });
    assert.deepEqual(o.only, ['no-kid', 'wrong-aud', 'student']);
    assert.equal(o.timeoutMs, 2500);
    assert.ok(o.acceptText?.test('Welcome, Ada') && !o.acceptText.test('welcome, ada'));
    assert.equal(o.anonymousLaunches, true);
  });

  it('needs exactly one way of registering', () => {
    refused(TOOL, /say how the tool is registered: --registration-url <url>, or --client-id <id> --deployment-id <id>/);
    refused({ ...HAND, registrationUrl: 'https://tool.example/register' }, /give either --registration-url .* not both/);
    refused({ ...TOOL, clientId: 'c' }, /--deployment-id is required with a registration made by hand/);
    refused({ ...TOOL, deploymentId: 'd' }, /--client-id is required with a registration made by hand/);
    refused({ ...HAND, clientId: 'has space' }, /--client-id must be 1–255 printable ASCII characters without spaces/);
    refused({ ...HAND, deploymentId: 'x'.repeat(256) }, /--deployment-id must be 1–255/);
  });

  it('refuses missing and malformed URLs, ports, timeouts and patterns with the flag named', () => {
    refused({ ...HAND, loginUrl: undefined }, /^--login-url is required$/);
    refused({ ...HAND, launchUrl: [] }, /--launch-url is required/);
    refused({ ...HAND, jwksUrl: 'not a url' }, /--jwks-url must be an absolute URL, got not a url/);
    refused({ ...HAND, launchUrl: ['https://tool.example/a', 'ftp://tool.example/b'] }, /--launch-url must be an http\(s\) URL, got ftp:/);
    refused({ ...HAND, targetLinkUri: 'javascript:alert(1)' }, /--target-link-uri must be an http\(s\) URL/);
    refused({ ...HAND, loginUrl: `https://tool.example/${'a'.repeat(2100)}` }, /--login-url must be an absolute URL/);
    refused({ ...HAND, emulatorPort: '80a' }, /--emulator-port must be a whole number from 0 to 65535, got 80a/);
    refused({ ...HAND, emulatorPort: 70_000 }, /--emulator-port must be a whole number/);
    refused({ ...HAND, emulatorHost: 'bad host!' }, /--emulator-host must be a host name or address/);
    refused({ ...HAND, emulatorPublicUrl: '/relative' }, /--emulator-public-url must be an absolute URL/);
    refused({ ...HAND, timeoutMs: 0 }, /--timeout-ms must be a whole number from 1 to 600000/);
    refused({ ...HAND, timeoutMs: '1.5' }, /--timeout-ms must be a whole number/);
    refused({ ...HAND, acceptText: '(unclosed' }, /--accept-text is not a valid regular expression/);
    refused({ ...HAND, rejectText: '[z-a]' }, /--reject-text is not a valid regular expression/);
  });
});
