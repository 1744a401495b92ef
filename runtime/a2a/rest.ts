// A2A's HTTP+JSON (REST) binding (A2A 1.0 §11) beside JSON-RPC on the same port: the SDK's restHandler serves the
// routes (/message:send, /message:stream, /tasks, /tasks/{id}, /tasks/{id}:cancel, /tasks/{id}:subscribe, push
// configs, /extendedAgentCard; its v0.3 compat layer the v0.3 paths), after the same version negotiation and params
// checks the JSON-RPC endpoint makes, answered in the binding's error shape (google.rpc.Status: code, status,
// message, details).
import type { ErrorRequestHandler, RequestHandler, Request } from 'express';
import { restHandler } from '@a2a-js/sdk/server/express';
import { userFromHeader } from './caller.js';
import type { A2ARequestHandler } from '@a2a-js/sdk/server';
import { paramsProblem } from './params.js';
import { CURRENT_VERSION, negotiateVersion, requestedVersion, VERSION_HEADER } from './version.js';

/** The paths the REST router answers (with or without a tenant prefix; v0.3's under /v1). */
export const REST_PATH =
  /^\/(?:[^/]+\/)?(?:v1\/)?(?:message:(?:send|stream)|tasks(?:\/.*|:.*)?|extendedAgentCard|card)$/;

/** Which v1.0 method a REST request is, and its params in JSON-RPC form, for the params check. */
interface RestCall {
  method: string;
  params: (req: Request) => unknown;
}

const intParam = (v: unknown) => (typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v);
const QUERY_INTS = ['historyLength', 'pageSize'];
const queryParams = (req: Request, extra: Record<string, unknown> = {}) => {
  const q: Record<string, unknown> = { ...(req.query as Record<string, unknown>) };
  delete q['A2A-Version'];
  delete q.tenant;
  for (const k of QUERY_INTS) if (k in q) q[k] = intParam(q[k]);
  if (q.includeArtifacts === 'true' || q.includeArtifacts === 'false')
    q.includeArtifacts = q.includeArtifacts === 'true';
  return { ...q, ...extra };
};

/** REST route → the v1.0 method whose params it carries (a2a.proto's google.api.http bindings). */
const CALLS: Array<{ verb: string; path: RegExp; call: RestCall }> = [
  { verb: 'POST', path: /\/message:send$/, call: { method: 'SendMessage', params: (req) => req.body } },
  { verb: 'POST', path: /\/message:stream$/, call: { method: 'SendStreamingMessage', params: (req) => req.body } },
  { verb: 'GET', path: /\/tasks$/, call: { method: 'ListTasks', params: (req) => queryParams(req) } },
  {
    verb: 'GET',
    path: /\/tasks\/([^/:]+)$/,
    call: {
      method: 'GetTask',
      params: (req) => queryParams(req, { id: decodeURIComponent(/\/tasks\/([^/:]+)$/.exec(req.path)![1]) }),
    },
  },
];

const restError = (code: number, status: string, message: string) => ({
  error: { code, status, message, details: [] },
});

/** The body parser's refusals (too large, not JSON) in the binding's error shape. */
export const restBodyErrors: ErrorRequestHandler = (err, _req, res, next) => {
  const e = err as { type?: string; status?: number };
  if (e.type === 'entity.too.large') {
    res.setHeader('connection', 'close');
    res.status(413).json(restError(413, 'INVALID_ARGUMENT', 'request body is too large'));
  } else if (e.type === 'entity.parse.failed')
    res.status(400).json(restError(400, 'INVALID_ARGUMENT', 'request body is not valid JSON'));
  else if (e.status && e.status >= 400 && e.status < 500)
    res.status(e.status).json(restError(e.status, 'INVALID_ARGUMENT', 'invalid request body'));
  else next(err);
};

/** Version negotiation and the v1.0 params check, then the SDK's REST router (mounted on {@link REST_PATH}). */
export function restRoute(requestHandler: A2ARequestHandler): RequestHandler[] {
  const rest = restHandler({
    requestHandler,
    userBuilder: userFromHeader,
    legacyCompat: { enabled: true },
  });
  const check: RequestHandler = (req, res, next) => {
    const negotiated = negotiateVersion(requestedVersion(req));
    if ('error' in negotiated) {
      res.status(400).json(restError(400, 'FAILED_PRECONDITION', negotiated.error));
      return;
    }
    req.headers[VERSION_HEADER] = negotiated.version;
    if (negotiated.version === CURRENT_VERSION) {
      const route = CALLS.find((c) => c.verb === req.method && c.path.test(req.path));
      const params = route && (req.method === 'GET' || req.body !== undefined) ? route.call.params(req) : undefined;
      const problem =
        route && params !== undefined ? paramsProblem(CURRENT_VERSION, route.call.method, params) : undefined;
      if (problem) {
        res
          .status(400)
          .json(restError(400, 'INVALID_ARGUMENT', `Invalid params: ${problem.replace(/^params\.?/, '') || 'body'}`));
        return;
      }
    }
    next();
  };
  return [check, rest];
}
