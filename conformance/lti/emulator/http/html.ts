/** Minimal, escaped HTML for the emulator's pages. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#222}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}label{display:block;margin:.4rem 0 .1rem;font-weight:600}
select,input,textarea{font:inherit;width:100%;box-sizing:border-box}select[multiple]{height:9rem}button{font:inherit;margin-top:.8rem;padding:.3rem 1.2rem}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left;vertical-align:top}code,pre{font-size:.85rem}
.row{display:grid;grid-template-columns:1fr 1fr;gap:0 1.5rem}.error{color:#a00}</style></head>
<body>${body}</body></html>`;
}

/**
 * An auto-submitting form POST (the OIDC form_post response mode, Deep Linking's return): the browser
 * posts `fields` to `action` as soon as the page loads; without scripts, a button does it.
 */
export function autoSubmitForm(action: string, fields: Record<string, string>): string {
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Continuing…</title></head>
<body onload="document.forms[0].submit()">
<form method="post" action="${escapeHtml(action)}">
${inputs}
<noscript><button type="submit">Continue</button></noscript>
</form>
</body></html>`;
}
