/** A service call as plain values: the router builds it, the service functions answer it. */
export interface ServiceRequest {
  method: string;
  /** The absolute request URL as the tool addressed it (paging links are built from it). */
  url: URL;
  authorization: string | undefined;
  accept: string | undefined;
  contentType: string | undefined;
  body: unknown;
}

export interface ServiceResponse {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}
