/**
 * What the LTI endpoints see of an HTTP exchange — plain values, no Express (STYLE.md rule 8).
 * src/http/lti-router.ts translates both ways.
 */
export interface LtiRequest {
  /** Query (GET) or form (POST) parameters; a parameter given twice arrives as an array. */
  params: Record<string, unknown>;
  cookieHeader: string | undefined;
  /** The Origin request header (browsers send it with every POST). */
  origin: string | undefined;
  authorization: string | undefined;
  requestId: string;
}

export interface LtiResponse {
  status: number;
  headers: Record<string, string>;
  /** Set-Cookie header values. */
  cookies?: string[];
  body: string;
}
