// The API server's refusals, as the page shows them: the Status message verbatim (it names the user, verb, resource
// and namespace for a 403, and the field for a webhook's denial), plus the causes with their field paths so the form
// can put each message next to its field.
import type { KubeResponse } from './kube-client.js';

export interface ApiProblem {
  status: number;
  message: string;
  reason?: string;
  causes?: { field?: string; message?: string; reason?: string }[];
}

export async function readStatus(res: KubeResponse): Promise<ApiProblem> {
  const chunks: Buffer[] = [];
  for await (const c of res.body) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    const s = JSON.parse(text) as { message?: string; reason?: string; details?: { causes?: ApiProblem['causes'] } };
    const message = s.message ?? `HTTP ${res.status}`;
    const causes = s.details?.causes?.length ? s.details.causes : webhookCauses(message);
    return {
      status: res.status,
      message,
      ...(s.reason ? { reason: s.reason } : {}),
      ...(causes.length ? { causes } : {}),
    };
  } catch {
    return { status: res.status, message: text.trim().slice(0, 500) || `HTTP ${res.status}` };
  }
}

/**
 * Our validating webhook refuses with one message, "<Kind> <ns/name> is invalid: <path>: <msg>; <path>: <msg>" (a
 * plain message so kubectl prints it whole); the API server wraps it as "admission webhook ... denied the request:".
 * The field causes are read back out of it so the form can put each next to its field.
 */
export function webhookCauses(message: string): { field: string; message: string }[] {
  const at = message.indexOf(' is invalid: ');
  if (!message.includes('denied the request') || at < 0) return [];
  return message
    .slice(at + ' is invalid: '.length)
    .split(/; (?=(?:spec|metadata)[\w.[\]-]*: )/)
    .flatMap((part) => {
      const m = /^((?:spec|metadata)[\w.[\]-]*): (.*)$/s.exec(part.trim());
      return m ? [{ field: m[1], message: m[2] }] : [];
    });
}

/** The API server's Warning headers (299 - "text"), e.g. the webhook's accepted-but-unsupported fields. */
export function warningsOf(header: string | string[] | undefined): string[] {
  const lines = header === undefined ? [] : Array.isArray(header) ? header : [header];
  return lines.flatMap((l) =>
    [...l.matchAll(/\d{3} \S+ "((?:[^"\\]|\\.)*)"/g)].map((m) => m[1].replace(/\\(.)/g, '$1')),
  );
}
