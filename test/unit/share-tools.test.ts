// The share-link pieces without a server: the three tools' refusals (no session, bad arguments), the link's URL,
// what a visitor's transcript keeps and hides, the token shape, and config.json's share_tools check.
import { describe, expect, it } from 'vitest';
import { MapShareStore } from '../../runtime/share/map-store.js';
import { shareTools, shareUrl, NO_LINKS } from '../../runtime/share/tools.js';
import { HIDDEN_TOKEN, transcriptOf } from '../../runtime/share/transcript.js';
import { isShareToken, newShareToken } from '../../runtime/share/token.js';
import { validateAgentConfig } from '../../contract/validate.js';
import type { ToolContext } from '../../runtime/tools/types.js';

const opts = { store: new MapShareStore(), namespace: 'team-a', name: 'helper', timeoutMs: 5_000 };
const ctx = (contextId: string): ToolContext => ({ signal: new AbortController().signal, contextId, taskId: 't1' });
const tool = (name: string, owner = 'alice') => shareTools(opts, owner).find((t) => t.spec.name === name)!;

describe('share tools', () => {
  it('refuse a task without a session, each naming why', async () => {
    for (const name of ['create_share_link', 'list_share_links', 'delete_share_link'])
      await expect(tool(name).call(name === 'delete_share_link' ? { token: 'x' } : {}, ctx('  '))).rejects.toThrow(
        'this task has no session (contextId), so there is nothing to share',
      );
  });

  it('refuse bad arguments by name', async () => {
    await expect(tool('create_share_link').call({ read_only: 'false' }, ctx('c'))).rejects.toThrow(
      'read_only must be a boolean (true or false)',
    );
    for (const token of [undefined, '', '   ', 42])
      await expect(tool('delete_share_link').call({ token }, ctx('c'))).rejects.toThrow(
        'token is required (a non-empty string)',
      );
  });

  it("declare kagent's names and arguments, none needing approval", () => {
    const specs = shareTools(opts, 'alice').map((t) => t.spec);
    expect(specs.map((s) => s.name)).toEqual(['create_share_link', 'list_share_links', 'delete_share_link']);
    expect(Object.keys((specs[0].parameters as any).properties)).toEqual(['read_only']);
    expect((specs[2].parameters as any).required).toEqual(['token']);
    expect(shareTools(opts, 'alice').every((t) => !t.requireApproval)).toBe(true);
  });

  it('read_only defaults to true (null too); list is per owner and says when there are none', async () => {
    expect(await tool('create_share_link').call({ read_only: null }, ctx('c-null'))).toContain('(read-only)');
    expect(await tool('list_share_links', 'bob').call({}, ctx('c-null'))).toBe(NO_LINKS);
    expect(await tool('list_share_links').call({}, ctx('c-null'))).toMatch(/^Active share links:\n- token: /);
  });
});

describe('share link URL', () => {
  it("is kagent's chat path, escaped, after KAGENT_UI_URL without its trailing slashes", () => {
    const at = { namespace: 'team-a', name: 'helper' };
    expect(shareUrl(at, 'ctx-1', 'T')).toBe('/agents/team-a/helper/chat/ctx-1?share=T');
    expect(shareUrl({ ...at, uiUrl: 'https://ui.example.com///' }, 'a/b c', 'T')).toBe(
      'https://ui.example.com/agents/team-a/helper/chat/a%2Fb%20c?share=T',
    );
    expect(shareUrl({ ...at, uiUrl: '  ' }, 'c', 'T')).toBe('/agents/team-a/helper/chat/c?share=T');
  });
});

describe("a visitor's transcript", () => {
  it('keeps user and assistant texts in order and nothing else; hides the given tokens', () => {
    const token = newShareToken();
    const stored = [
      { role: 'system', content: 'You are secret instructions.' },
      { role: 'user', content: 'list pods' },
      { role: 'assistant', content: '', toolCalls: [{ id: '1', name: 'list_pods', arguments: '{}' }] },
      { role: 'tool', toolCallId: '1', name: 'list_pods', content: 'pod data with a secret' },
      { role: 'assistant', content: `made /x?share=${token} and Token: ${token}` },
      { role: 'user', content: 42 },
      null,
      'not a message',
    ];
    expect(transcriptOf(stored, [token])).toEqual([
      { role: 'user', text: 'list pods' },
      { role: 'assistant', text: `made /x?share=${HIDDEN_TOKEN} and Token: ${HIDDEN_TOKEN}` },
    ]);
    expect(transcriptOf([])).toEqual([]);
  });
});

describe('share tokens and config', () => {
  it('are 32 base64url characters (192 bits), never the same twice', () => {
    const tokens = Array.from({ length: 200 }, newShareToken);
    expect(new Set(tokens).size).toBe(200);
    expect(tokens.every(isShareToken)).toBe(true);
    for (const bad of ['', 'a'.repeat(31), 'a'.repeat(33), `${'a'.repeat(31)}=`, 7, undefined])
      expect(isShareToken(bad)).toBe(false);
  });

  it('config.json share_tools must be a boolean', () => {
    const base = { description: '', instruction: '', model: null };
    expect(validateAgentConfig({ ...base, share_tools: true }).share_tools).toBe(true);
    expect(() => validateAgentConfig({ ...base, share_tools: 'yes' })).toThrow(
      'config.json: share_tools: must be a boolean',
    );
  });
});
