/**
 * The tool's own URLs: a target_link_uri is allowed when it has the origin of EdHub's public base URL
 * and lies under its path (fact sheet §3 check 17, §14.9). Anything else could send a launched user
 * to a page the platform, not EdHub, chose.
 */
export function isToolUrl(candidate: string, baseUrl: string): boolean {
  let url: URL;
  let base: URL;
  try {
    url = new URL(candidate);
    base = new URL(baseUrl);
  } catch {
    return false;
  }
  if (url.origin !== base.origin || url.username || url.password) return false;
  const basePath = base.pathname.replace(/\/+$/, '');
  return url.pathname === basePath || url.pathname.startsWith(`${basePath}/`) || basePath === '';
}

/** The tool's own endpoints under the public base URL. */
export function toolUrls(baseUrl: string) {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    login: `${base}/lti/login`,
    launch: `${base}/lti/launch`,
    jwks: `${base}/.well-known/jwks.json`,
    landing: `${base}/lti/landing`,
    session: `${base}/lti/session`,
    registration: (token: string) => `${base}/lti/register/${token}`,
    origin: new URL(base).origin,
  };
}
