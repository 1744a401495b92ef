// admission.k8s.io/v1 AdmissionReview shapes and the parsing of an untrusted request body into one.

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
const OPERATIONS: readonly string[] = ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'];

export interface AdmissionRequest {
  uid: string;
  kind: GroupVersionKind;
  operation: Operation;
  subResource?: string;
  name?: string;
  namespace?: string;
  object?: unknown;
  oldObject?: unknown;
  dryRun?: boolean;
  [key: string]: unknown;
}

export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  status?: { code: number; message: string };
  patchType?: 'JSONPatch';
  patch?: string;
  warnings?: string[];
}

export interface AdmissionReview {
  apiVersion: 'admission.k8s.io/v1';
  kind: 'AdmissionReview';
  response: AdmissionResponse;
}

export type ParseResult = { ok: true; request: AdmissionRequest } | { ok: false; message: string };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks the parts of an AdmissionReview the server relies on; everything else is passed through untouched. */
export function parseReview(body: unknown): ParseResult {
  if (!isObj(body)) return { ok: false, message: 'body must be a JSON AdmissionReview object' };
  if (body.apiVersion !== 'admission.k8s.io/v1')
    return {
      ok: false,
      message: `apiVersion must be admission.k8s.io/v1 (got ${JSON.stringify(body.apiVersion) ?? 'nothing'})`,
    };
  if (body.kind !== 'AdmissionReview')
    return { ok: false, message: `kind must be AdmissionReview (got ${JSON.stringify(body.kind) ?? 'nothing'})` };
  const req = body.request;
  if (!isObj(req)) return { ok: false, message: 'request must be an object' };
  if (typeof req.uid !== 'string' || req.uid === '')
    return { ok: false, message: 'request.uid must be a non-empty string' };
  if (typeof req.operation !== 'string' || !OPERATIONS.includes(req.operation))
    return { ok: false, message: `request.operation must be one of ${OPERATIONS.join(', ')}` };
  const kind = req.kind;
  if (
    !isObj(kind) ||
    typeof kind.group !== 'string' ||
    typeof kind.version !== 'string' ||
    typeof kind.kind !== 'string'
  )
    return { ok: false, message: 'request.kind must be {group, version, kind} strings' };
  if (req.subResource !== undefined && typeof req.subResource !== 'string')
    return { ok: false, message: 'request.subResource must be a string' };
  return { ok: true, request: req as unknown as AdmissionRequest };
}

export const review = (response: AdmissionResponse): AdmissionReview => ({
  apiVersion: 'admission.k8s.io/v1',
  kind: 'AdmissionReview',
  response,
});
