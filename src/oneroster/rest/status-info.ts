/**
 * OneRoster errors (fact sheet §5): the `imsx_StatusInfo` object the OpenAPI files define, unwrapped,
 * with codeMajor/severity/codeMinor, and the spec's HTTP status for each codeMinor. One class, rendered
 * in one place (the router); messages are written for the client and never carry internals.
 */
export type CodeMinor =
  | 'invalid_filter_field'
  | 'invalid_selection_field'
  | 'invalid_sort_field'
  | 'invaliddata'
  | 'unauthorisedrequest'
  | 'forbidden'
  | 'unknownobject'
  | 'server_busy'
  | 'internal_server_error'
  | 'deletefailure'
  | 'unsupported';

const STATUS: Record<CodeMinor, number> = {
  invalid_filter_field: 400,
  invalid_selection_field: 400,
  invalid_sort_field: 400,
  invaliddata: 422,
  unauthorisedrequest: 401,
  forbidden: 403,
  unknownobject: 404,
  server_busy: 429,
  internal_server_error: 500,
  deletefailure: 409,
  unsupported: 405,
};

export interface StatusInfo {
  imsx_codeMajor: 'success' | 'processing' | 'failure' | 'unsupported';
  imsx_severity: 'status' | 'warning' | 'error';
  imsx_description?: string;
  imsx_CodeMinor: { imsx_codeMinorField: Array<{ imsx_codeMinorFieldName: string; imsx_codeMinorFieldValue: CodeMinor }> };
}

export class OneRosterError extends Error {
  readonly status: number;

  constructor(
    readonly codeMinor: CodeMinor,
    message: string,
    /** Overrides the codeMinor's usual status (a malformed query parameter is a 400 invaliddata). */
    status?: number,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.status = status ?? STATUS[codeMinor];
  }

  toStatusInfo(): StatusInfo {
    return {
      imsx_codeMajor: this.codeMinor === 'unsupported' ? 'unsupported' : 'failure',
      imsx_severity: 'error',
      imsx_description: this.message,
      imsx_CodeMinor: { imsx_codeMinorField: [{ imsx_codeMinorFieldName: 'TargetEndSystem', imsx_codeMinorFieldValue: this.codeMinor }] },
    };
  }
}
