// Files and images of an incoming A2A message (FileWithBytes: base64 + media type; FileWithUri: a URL) as each
// provider's content parts. What each provider takes is one table; a file it cannot take fails the task before the
// model is called, saying which file, which type and what the provider accepts (never a silent drop). Text files
// (text/*, JSON, YAML, XML) given as bytes become text every provider reads.
import type { ModelConfig } from '../../contract/config.js';
import type { RuntimeModelType } from '../../contract/model-types.js';
import type { Attachment, ChatMessage } from './types.js';

type Form = 'bytes' | 'url';
interface Support {
  image: readonly Form[];
  pdf: readonly Form[];
}

/** Images every provider here documents: PNG, JPEG, GIF, WebP. */
export const IMAGE_TYPES: Readonly<Record<string, string>> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/jpg': 'jpeg',
  'image/gif': 'gif',
  'image/webp': 'webp',
};
const TEXT_TYPES = /^(text\/[\w.+-]+|application\/(json|x-yaml|yaml|xml|x-ndjson))$/;

/**
 * Which forms each provider's API takes (its documentation): OpenAI chat image_url (data or https URL) and file
 * (file_data; no URL); the Responses API input_image / input_file (both forms); Anthropic image and document blocks
 * (base64 or URL; on Vertex base64 only); Google's OpenAI-compatible endpoint images as data URLs; Vertex's native
 * generateContent images and PDFs as inlineData (bytes) or fileData (a gs:// or https URI); Ollama's /api/chat
 * images as base64 on the message;
 * Bedrock Converse image and document blocks (bytes, or S3 locations — not URLs).
 */
const SUPPORT: Record<RuntimeModelType | 'responses', Support> = {
  openai: { image: ['bytes', 'url'], pdf: ['bytes'] },
  azure_openai: { image: ['bytes', 'url'], pdf: ['bytes'] },
  responses: { image: ['bytes', 'url'], pdf: ['bytes', 'url'] },
  anthropic: { image: ['bytes', 'url'], pdf: ['bytes', 'url'] },
  gemini_anthropic: { image: ['bytes'], pdf: ['bytes'] },
  gemini: { image: ['bytes'], pdf: [] },
  gemini_vertex_ai: { image: ['bytes', 'url'], pdf: ['bytes', 'url'] },
  ollama: { image: ['bytes'], pdf: [] },
  bedrock: { image: ['bytes'], pdf: ['bytes'] },
};

function supportOf(cfg: ModelConfig): { name: string; support: Support | undefined } {
  if (cfg.api_format === 'responses') return { name: `${cfg.type} (Responses API)`, support: SUPPORT.responses };
  return { name: cfg.type, support: SUPPORT[cfg.type as RuntimeModelType] };
}

const formOf = (a: Attachment): Form => (a.uri !== undefined ? 'url' : 'bytes');
const label = (a: Attachment, i: number) =>
  `file ${i + 1}${a.name ? ` "${a.name}"` : ''} (${a.mimeType || 'no media type'}, ${formOf(a) === 'url' ? `URL` : 'bytes'})`;

function describe(s: Support): string {
  const forms = (f: readonly Form[]) => f.map((x) => (x === 'url' ? 'URL' : 'bytes')).join(' or ');
  const parts = [
    s.image.length ? `images (PNG, JPEG, GIF, WebP) as ${forms(s.image)}` : '',
    s.pdf.length ? `PDF as ${forms(s.pdf)}` : '',
    'text files (text/*, JSON, YAML, XML) as bytes',
  ];
  return parts.filter(Boolean).join(', ');
}

/** The kind a provider gets the attachment as; undefined when its type is none the runtime passes on. */
function kindOf(a: Attachment): 'image' | 'pdf' | 'text' | undefined {
  const t = a.mimeType.toLowerCase().split(';')[0].trim();
  if (t in IMAGE_TYPES) return 'image';
  if (t === 'application/pdf') return 'pdf';
  if (TEXT_TYPES.test(t) && a.data !== undefined) return 'text';
  return undefined;
}

/** Throws, naming the file and what the provider takes, when the configured model cannot be given an attachment. */
export function checkAttachments(cfg: ModelConfig, attachments: readonly Attachment[]): void {
  const { name, support } = supportOf(cfg);
  attachments.forEach((a, i) => {
    const kind = kindOf(a);
    const ok = kind === 'text' || (kind && support ? support[kind].includes(formOf(a)) : false);
    if (!ok)
      throw new Error(
        `${label(a, i)} cannot be passed to the ${name} model: it takes ${support ? describe(support) : 'text files (text/*, JSON, YAML, XML) as bytes'}`,
      );
  });
}

export type UserPart =
  | { type: 'text'; text: string }
  | { type: 'image' | 'pdf'; mimeType: string; name?: string; data?: string; uri?: string };

/** The user message's text, then its attachments in order; text files decoded into text. */
export function userParts(m: Extract<ChatMessage, { role: 'user' }>): UserPart[] {
  const parts: UserPart[] = m.content ? [{ type: 'text', text: m.content }] : [];
  for (const a of m.attachments ?? []) {
    const kind = kindOf(a);
    if (kind === 'text')
      parts.push({
        type: 'text',
        text: `Attached file ${a.name || '(unnamed)'} (${a.mimeType}):\n${Buffer.from(a.data!, 'base64').toString('utf8')}`,
      });
    else if (kind) parts.push({ type: kind, mimeType: a.mimeType.toLowerCase().split(';')[0].trim(), ...pick(a) });
  }
  return parts;
}

function pick(a: Attachment): { name?: string; data?: string; uri?: string } {
  return {
    ...(a.name ? { name: a.name } : {}),
    ...(a.data !== undefined ? { data: a.data } : {}),
    ...(a.uri !== undefined ? { uri: a.uri } : {}),
  };
}

const dataUrl = (p: { mimeType: string; data?: string }) => `data:${p.mimeType};base64,${p.data}`;
const hasFiles = (m: Extract<ChatMessage, { role: 'user' }>) => (m.attachments?.length ?? 0) > 0;

/** Chat Completions `content`: the plain string without attachments (as before), else content parts. */
export function openAiChatContent(m: Extract<ChatMessage, { role: 'user' }>): unknown {
  if (!hasFiles(m)) return m.content;
  return userParts(m).map((p) =>
    p.type === 'text'
      ? { type: 'text', text: p.text }
      : p.type === 'image'
        ? { type: 'image_url', image_url: { url: p.uri ?? dataUrl(p) } }
        : { type: 'file', file: { filename: p.name || 'document.pdf', file_data: dataUrl(p) } },
  );
}

/** Responses API `content`: input_text, input_image, input_file. */
export function responsesContent(m: Extract<ChatMessage, { role: 'user' }>): unknown {
  if (!hasFiles(m)) return m.content;
  return userParts(m).map((p) =>
    p.type === 'text'
      ? { type: 'input_text', text: p.text }
      : p.type === 'image'
        ? { type: 'input_image', detail: 'auto', image_url: p.uri ?? dataUrl(p) }
        : p.uri !== undefined
          ? { type: 'input_file', file_url: p.uri }
          : { type: 'input_file', filename: p.name || 'document.pdf', file_data: dataUrl(p) },
  );
}

/** Anthropic Messages blocks: text, image, document. */
export function anthropicBlocks(m: Extract<ChatMessage, { role: 'user' }>): Record<string, unknown>[] {
  if (!hasFiles(m)) return [{ type: 'text', text: m.content }];
  return userParts(m).map((p) => {
    if (p.type === 'text') return { type: 'text', text: p.text };
    const source =
      p.uri !== undefined ? { type: 'url', url: p.uri } : { type: 'base64', media_type: p.mimeType, data: p.data };
    return { type: p.type === 'image' ? 'image' : 'document', source };
  });
}

/** Bedrock's document name: letters, digits, single spaces, hyphens, parentheses and square brackets only. */
function converseName(name: string | undefined, i: number): string {
  const base = (name ?? '').replace(/\.[^.]*$/, '');
  const clean = base
    .replace(/[^A-Za-z0-9\s\-()[\]]/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
  return clean || `document-${i + 1}`;
}

/** Bedrock Converse blocks: text, image, document (bytes as base64 in JSON). */
export function converseBlocks(m: Extract<ChatMessage, { role: 'user' }>): Record<string, unknown>[] {
  if (!hasFiles(m)) return [{ text: m.content }];
  return userParts(m).map((p, i) => {
    if (p.type === 'text') return { text: p.text };
    if (p.type === 'image') return { image: { format: IMAGE_TYPES[p.mimeType], source: { bytes: p.data } } };
    return { document: { format: 'pdf', name: converseName(p.name, i), source: { bytes: p.data } } };
  });
}
