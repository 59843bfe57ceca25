import type { LtiResponse } from '../http-types.js';
import { readLtiStandard } from '../standard-file.js';
import { escapeHtml, htmlPage } from './html.js';

/**
 * The two pages of a cookieless launch (CS-OIDC, PM-S drafts; fact sheet §2.3): the login page stores
 * the state in the platform's frame (lti.put_data) before going to the platform's auth endpoint; the
 * launch page reads it back (lti.get_data) and posts the launch again with it. Messages go to the
 * frame named by lti_storage_target, addressed to the origin of the platform's OIDC auth endpoint
 * only, and only answers from that origin are read.
 */
const pmS = readLtiStandard<{ parentTarget: string; subjects: Record<'putData' | 'putDataResponse' | 'getData' | 'getDataResponse', string> }>(
  'platform-storage.json',
);

const SEND = `function frame(t){try{return t===D.parentTarget?window.parent:(window.parent.frames[t]||window.parent)}catch(e){return window.parent}}
function send(subject,extra,onAnswer){var id=(self.crypto&&crypto.randomUUID)?crypto.randomUUID():String(Date.now())+Math.random();
window.addEventListener('message',function(e){var m=e.data;if(e.origin!==D.origin||!m||m.message_id!==id||m.subject!==subject+'.response')return;onAnswer(m)});
var msg={subject:subject,message_id:id};for(var k in extra)msg[k]=extra[k];try{frame(D.target).postMessage(msg,D.origin)}catch(e){}}`;

export function loginStoragePage(p: {
  authRequestUrl: string;
  target: string;
  platformOrigin: string;
  key: string;
  value: string;
  cookie: string;
}): LtiResponse {
  return htmlPage({
    status: 200,
    title: 'Starting the launch',
    cookies: [p.cookie],
    body: `<h1>Starting the launch…</h1><p class="muted">If nothing happens, <a id="continue" href="${escapeHtml(p.authRequestUrl)}">continue</a>.</p>`,
    data: { target: p.target, origin: p.platformOrigin, key: p.key, value: p.value, next: p.authRequestUrl, parentTarget: pmS.parentTarget },
    script: `(function(){var D=JSON.parse(document.getElementById('page-data').textContent);${SEND}
var gone=false;function go(){if(gone)return;gone=true;window.location.replace(D.next)}
send('${pmS.subjects.putData}',{key:D.key,value:D.value},go);setTimeout(go,2000)})();`,
  });
}

export function launchStoragePage(p: { launchUrl: string; idToken: string; state: string; target: string; platformOrigin: string; key: string }): LtiResponse {
  return htmlPage({
    status: 200,
    title: 'Checking the launch',
    body: `<h1>Checking the launch…</h1>
<p id="failed" class="muted" hidden>This browser blocks the cookie EdHub needs, and the platform did not confirm the launch. Open the tool in a new window, or allow third-party cookies for it.</p>
<form id="relaunch" method="post" action="${escapeHtml(p.launchUrl)}">
<input type="hidden" name="id_token" value="${escapeHtml(p.idToken)}"><input type="hidden" name="state" value="${escapeHtml(p.state)}">
<input type="hidden" name="lti_storage_target" value="${escapeHtml(p.target)}"><input type="hidden" name="lti_storage_state" value=""></form>`,
    data: { target: p.target, origin: p.platformOrigin, key: p.key, parentTarget: pmS.parentTarget },
    script: `(function(){var D=JSON.parse(document.getElementById('page-data').textContent);${SEND}
var done=false;send('${pmS.subjects.getData}',{key:D.key},function(m){if(done||typeof m.value!=='string')return;done=true;
var f=document.getElementById('relaunch');f.elements.lti_storage_state.value=m.value;f.submit()});
setTimeout(function(){if(!done){done=true;document.getElementById('failed').hidden=false}},3000)})();`,
  });
}
