// Who a dashboard request acts as (dashboard/server/identity.ts) and which requests the guard lets in (guard.ts):
// pure functions of the request's facts, table-driven.
import { describe, expect, it } from 'vitest';
import { identify, trustedAddressList, type IdentityMode, type RequestFacts } from '../../dashboard/server/identity.js';
import { allowedHosts, guardRequest } from '../../dashboard/server/guard.js';

const proxy: IdentityMode = {
  mode: 'proxy',
  userHeader: 'X-Forwarded-User',
  groupsHeader: 'X-Forwarded-Groups',
  trustedAddresses: ['10.1.2.3', '192.168.0.0/24', 'fd00::/64'],
  trustedClientNames: ['oauth2-proxy'],
};
const trusted = trustedAddressList(proxy.mode === 'proxy' ? proxy.trustedAddresses : []);

type Case = [what: string, facts: RequestFacts, expected: Record<string, unknown>];

const CASES: Case[] = [
  [
    'the proxy address, user and groups',
    { remoteAddress: '10.1.2.3', headers: { 'x-forwarded-user': 'alice', 'x-forwarded-groups': 'dev, ops' } },
    {
      ok: true,
      user: 'alice',
      groups: ['dev', 'ops'],
      impersonate: { 'Impersonate-User': 'alice', 'Impersonate-Group': ['dev', 'ops'] },
    },
  ],
  [
    'repeated group headers are each read, commas split',
    { remoteAddress: '192.168.0.77', headers: { 'x-forwarded-user': 'bob', 'x-forwarded-groups': ['a,b', 'c'] } },
    { ok: true, groups: ['a', 'b', 'c'] },
  ],
  [
    'no groups: no Impersonate-Group at all',
    { remoteAddress: '10.1.2.3', headers: { 'x-forwarded-user': 'carol' } },
    { ok: true, impersonate: { 'Impersonate-User': 'carol' } },
  ],
  [
    'an IPv4-mapped IPv6 source of a trusted address',
    { remoteAddress: '::ffff:10.1.2.3', headers: { 'x-forwarded-user': 'alice' } },
    { ok: true, user: 'alice' },
  ],
  [
    'an IPv6 source in a trusted prefix',
    { remoteAddress: 'fd00::5', headers: { 'x-forwarded-user': 'd' } },
    { ok: true },
  ],
  [
    'a verified client certificate with a trusted name, from any address',
    { remoteAddress: '10.9.9.9', clientCertName: 'oauth2-proxy', headers: { 'x-forwarded-user': 'erin' } },
    { ok: true, user: 'erin' },
  ],
  [
    'an untrusted address, whatever the headers say',
    { remoteAddress: '10.1.2.4', headers: { 'x-forwarded-user': 'alice', 'x-forwarded-groups': 'admins' } },
    { ok: false, status: 403 },
  ],
  [
    'a client certificate with another name',
    { remoteAddress: '10.9.9.9', clientCertName: 'someone-else', headers: { 'x-forwarded-user': 'alice' } },
    { ok: false, status: 403 },
  ],
  [
    'no source address',
    { remoteAddress: undefined, headers: { 'x-forwarded-user': 'alice' } },
    { ok: false, status: 403 },
  ],
  ['from the proxy without a user', { remoteAddress: '10.1.2.3', headers: {} }, { ok: false, status: 401 }],
  [
    'from the proxy with a blank user',
    { remoteAddress: '10.1.2.3', headers: { 'x-forwarded-user': '  ' } },
    { ok: false, status: 401 },
  ],
  [
    'the user header twice',
    { remoteAddress: '10.1.2.3', headers: { 'x-forwarded-user': ['alice', 'bob'] } },
    { ok: false, status: 401 },
  ],
  [
    'a reserved system: user',
    { remoteAddress: '10.1.2.3', headers: { 'x-forwarded-user': 'system:admin' } },
    { ok: false, status: 403 },
  ],
  [
    'a reserved system: group',
    { remoteAddress: '10.1.2.3', headers: { 'x-forwarded-user': 'alice', 'x-forwarded-groups': 'dev,system:masters' } },
    { ok: false, status: 403 },
  ],
];

describe('identify', () => {
  it.each(CASES)('%s', (_what, facts, expected) => {
    expect(identify(proxy, trusted, facts)).toMatchObject(expected);
  });

  it('refusals say why, naming the header', () => {
    const none = identify(proxy, trusted, { remoteAddress: '10.1.2.3', headers: {} });
    expect(none).toMatchObject({ message: expect.stringContaining('X-Forwarded-User') });
    const direct = identify(proxy, trusted, { remoteAddress: '127.0.0.1', headers: { 'x-forwarded-user': 'a' } });
    expect(direct).toMatchObject({ message: expect.stringContaining('authenticating proxy') });
  });

  it('local mode acts as the kubeconfig user and adds nothing, whatever a request sends', () => {
    const who = identify({ mode: 'local' }, undefined, {
      remoteAddress: '127.0.0.1',
      headers: { 'x-forwarded-user': 'alice', 'impersonate-user': 'admin' },
    });
    expect(who).toEqual({ ok: true, groups: [], impersonate: {} });
  });

  it('the header names are configurable', () => {
    const mode: IdentityMode = {
      ...proxy,
      userHeader: 'X-Auth-Request-User',
      groupsHeader: 'X-Auth-Request-Groups',
    } as IdentityMode;
    const who = identify(mode, trusted, {
      remoteAddress: '10.1.2.3',
      headers: { 'x-forwarded-user': 'mallory', 'x-auth-request-user': 'alice', 'x-auth-request-groups': 'dev' },
    });
    expect(who).toMatchObject({ ok: true, user: 'alice', groups: ['dev'] });
  });

  it.each([
    ['not-an-ip', 'not an IP address or CIDR'],
    ['10.0.0.0/33', 'bad prefix length'],
    ['10.0.0.0/x', 'bad prefix length'],
    ['fd00::/129', 'bad prefix length'],
  ])('a malformed --trusted-proxy %s is a startup error naming it', (entry, why) => {
    expect(() => trustedAddressList([entry])).toThrow(`--trusted-proxy "${entry}": ${why}`);
  });
});

describe('guardRequest', () => {
  const hosts = allowedHosts('127.0.0.1', 8081);
  it.each([
    ['a GET at the own address', { method: 'GET', host: '127.0.0.1:8081' }, undefined],
    ['localhost too', { method: 'GET', host: 'localhost:8081' }, undefined],
    ['a rebinding Host', { method: 'GET', host: 'evil.example:8081' }, 'unexpected Host'],
    ['no Host', { method: 'GET' }, 'unexpected Host'],
    [
      'a cross-origin request',
      { method: 'GET', host: '127.0.0.1:8081', origin: 'http://evil.example' },
      'cross-origin',
    ],
    ['an unparsable Origin', { method: 'GET', host: '127.0.0.1:8081', origin: 'nonsense' }, 'cross-origin'],
    [
      'a PUT without the CSRF header',
      { method: 'PUT', host: '127.0.0.1:8081', origin: 'http://127.0.0.1:8081' },
      'must carry',
    ],
    ['a PUT with it', { method: 'PUT', host: '127.0.0.1:8081', origin: 'http://127.0.0.1:8081', csrf: '1' }, undefined],
    ['a DELETE without it', { method: 'DELETE', host: '127.0.0.1:8081' }, 'must carry'],
  ])('%s', (_what, facts, refusal) => {
    const got = guardRequest({ origin: undefined, csrf: undefined, host: undefined, ...facts }, hosts);
    if (refusal === undefined) expect(got).toBeUndefined();
    else expect(got).toContain(refusal);
  });

  it('a wildcard bind answers any Host; an empty set of hosts checks none', () => {
    expect(allowedHosts('0.0.0.0', 8081).size).toBe(0);
    expect(
      guardRequest({ method: 'GET', host: 'dash.example.com', origin: undefined, csrf: undefined }, new Set()),
    ).toBeUndefined();
  });
});
