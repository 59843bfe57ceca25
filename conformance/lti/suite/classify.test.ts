import assert from 'node:assert/strict';
import { classify, judge, type Observation, visibleText } from './classify.js';

const TOOL = 'http://127.0.0.1:3000/launch';

/** A final page on the tool, after an id_token reached it. */
function page(status: number, body = '', extra: Partial<Extract<Observation, { kind: 'response' }>> = {}): Observation {
  return { kind: 'response', status, url: TOOL, body, atPlatform: false, idTokenDelivered: true, ...extra };
}

describe('suite classification: what the tool did with a launch', () => {
  describe('classify', () => {
    it('ACCEPTED: a 2xx final page; with --accept-text only when its visible text matches', () => {
      assert.deepEqual(classify(page(200, '<h1>Hi</h1>'), {}), { verdict: 'accepted', status: 200 });
      assert.deepEqual(classify(page(204), {}), { verdict: 'accepted', status: 204 });
      assert.deepEqual(classify(page(200, '<h1>Welcome, Ada</h1>'), { acceptText: /^Welcome, / }), { verdict: 'accepted', status: 200 });
      // the pattern reads the visible text, not the markup
      assert.deepEqual(classify(page(200, '<p class="Welcome">bye</p>'), { acceptText: /Welcome/ }), {
        verdict: 'failure',
        reason: 'inconclusive: the 200 page matches neither --accept-text nor --reject-text',
      });
    });

    it('REJECTED: any 4xx, or a 2xx page matching --reject-text (which wins over --accept-text)', () => {
      for (const status of [400, 401, 403, 404, 422, 499]) assert.deepEqual(classify(page(status), {}), { verdict: 'rejected', status, by: 'status' });
      assert.deepEqual(classify(page(200, '<h1>Welcome</h1><p>Launch error: invalid token</p>'), { acceptText: /Welcome/, rejectText: /Launch error/ }), {
        verdict: 'rejected',
        status: 200,
        by: 'reject-text',
      });
    });

    it('FAILURE, never a rejection: 5xx is "tool crashed", and network errors, timeouts, loops and off-site redirects say so', () => {
      assert.deepEqual(classify(page(500), {}), { verdict: 'failure', reason: 'tool crashed: 500' });
      assert.deepEqual(classify(page(503, 'Service Unavailable'), { rejectText: /Unavailable/ }), { verdict: 'failure', reason: 'tool crashed: 503' });
      assert.deepEqual(classify({ kind: 'network-error', url: TOOL, message: 'ECONNRESET socket hang up' }, {}), {
        verdict: 'failure',
        reason: `network error: ECONNRESET socket hang up (${TOOL})`,
      });
      assert.deepEqual(classify({ kind: 'timeout', url: TOOL, timeoutMs: 10_000 }, {}), {
        verdict: 'failure',
        reason: `timeout: no answer from ${TOOL} within 10000 ms`,
      });
      assert.deepEqual(classify({ kind: 'redirect-loop', url: TOOL, steps: 20 }, {}), {
        verdict: 'failure',
        reason: `redirect loop: still redirecting after 20 steps (last ${TOOL})`,
      });
      assert.deepEqual(classify({ kind: 'left-tool', url: TOOL, location: 'https://untrusted.example/launch' }, {}), {
        verdict: 'failure',
        reason: 'the tool sent the browser outside the tool and the platform, to https://untrusted.example/launch (not followed)',
      });
      assert.deepEqual(classify(page(304), {}), { verdict: 'failure', reason: 'unexpected final status 304' });
    });

    it('a launch that never delivered an id_token to the tool, or ended on the platform, is a failure, whatever the status', () => {
      assert.deepEqual(classify(page(400, 'missing parameter', { idTokenDelivered: false, url: 'http://127.0.0.1:3000/login' }), {}), {
        verdict: 'failure',
        reason: 'the launch never delivered an id_token to the tool: it ended with 400 at http://127.0.0.1:3000/login',
      });
      assert.deepEqual(
        classify(
          page(400, 'error', {
            atPlatform: true,
            idTokenDelivered: false,
            platformRefusal: 'invalid_request: redirect_uri "x" is not registered for this client',
          }),
          {},
        ),
        {
          verdict: 'failure',
          reason:
            'the launch never delivered an id_token to the tool: the platform refused the tool\'s authentication request: invalid_request: redirect_uri "x" is not registered for this client',
        },
      );
      assert.equal(classify(page(200, '', { atPlatform: true }), {}).verdict, 'failure');
    });
  });

  describe('judge', () => {
    it('a reject case passes only when REJECTED; accepted reads exactly "accepted"', () => {
      assert.deepEqual(judge('reject', { verdict: 'rejected', status: 401, by: 'status' }), { pass: true, reason: 'rejected (401)' });
      assert.deepEqual(judge('reject', { verdict: 'rejected', status: 200, by: 'reject-text' }), {
        pass: true,
        reason: 'rejected (200 page matches --reject-text)',
      });
      assert.deepEqual(judge('reject', { verdict: 'accepted', status: 200 }), { pass: false, reason: 'accepted' });
      assert.deepEqual(judge('reject', { verdict: 'failure', reason: 'tool crashed: 500' }), { pass: false, reason: 'tool crashed: 500' });
    });

    it('an accept case passes only when ACCEPTED', () => {
      assert.deepEqual(judge('accept', { verdict: 'accepted', status: 200 }), { pass: true, reason: 'accepted (200)' });
      assert.deepEqual(judge('accept', { verdict: 'rejected', status: 400, by: 'status' }), { pass: false, reason: 'rejected (400)' });
      assert.deepEqual(judge('accept', { verdict: 'failure', reason: 'timeout: no answer' }), { pass: false, reason: 'timeout: no answer' });
    });
  });

  describe('visibleText', () => {
    it('keeps what a person reads: no head, scripts, styles, comments or tags; entities decoded; whitespace collapsed', () => {
      const html = `<!doctype html><html><head><title>Error</title><style>h1{color:red}</style></head>
        <body><!-- <p>hidden</p> --><h1>Launch   refused</h1><script>var x = "<p>not text</p>";</script>
        <p>error <code id="lti-error-code">kid-missing</code> &amp; request&#160;<b>r1</b> &#x2014; &lt;ok&gt;</p></body></html>`;
      assert.equal(visibleText(html), 'Launch refused error kid-missing & request r1 — <ok>');
    });

    it('passes plain text and JSON through, including a lone "<"', () => {
      assert.equal(visibleText('{"error":"a < b","code":401}'), '{"error":"a < b","code":401}');
      assert.equal(visibleText('stub tool: launch received\n'), 'stub tool: launch received');
      assert.equal(visibleText(''), '');
    });

    it('cuts to the requested length with an ellipsis', () => {
      assert.equal(visibleText(`<p>${'a'.repeat(300)}</p>`).length, 200);
      assert.equal(visibleText(`<p>${'a'.repeat(300)}</p>`).at(-1), '…');
      assert.equal(visibleText('<p>abcdef</p>', 4), 'abc…');
      assert.equal(visibleText('<p>abc</p>', 3), 'abc');
    });

    it('handles hostile markup in linear time: megabytes of unclosed scripts, comments and tags', () => {
      const started = performance.now();
      assert.equal(visibleText('<script>'.repeat(150_000)), '');
      assert.equal(visibleText(`${'<!--'.repeat(250_000)}x`), '');
      assert.equal(visibleText('<a '.repeat(300_000)), '');
      assert.equal(visibleText('<b>x</b>'.repeat(150_000), 9), 'x x x x …');
      assert.equal(visibleText('x <p unclosed'), 'x');
      // quadratic work would take minutes here; linear takes well under a second
      assert.ok(performance.now() - started < 3000, `took ${performance.now() - started} ms`);
    });

    it('keeps indexes right when lower-casing would change the length (non-ASCII before a tag)', () => {
      assert.equal(visibleText('İstanbul <SCRIPT>x</SCRIPT> <B>ok</B>'), 'İstanbul ok');
    });
  });
});
