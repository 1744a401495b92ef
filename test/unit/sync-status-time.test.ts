// rfc3339Seconds formats lastTransitionTime directly (cheaper than toISOString on every sync): it must give exactly
// toISOString() without ".000" for every whole second, including years outside 1000..9999 and before 1970.
import { describe, expect, it } from 'vitest';
import {
  buildConditions,
  latestObservedTime,
  rfc3339Seconds,
  type ConditionInput,
} from '../../sync-hooks/agent/status.js';

const reference = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

describe('rfc3339Seconds', () => {
  it('equals toISOString for edge and swept whole seconds', () => {
    const edges = [
      0,
      -1000,
      1767225600000,
      951782400000,
      253402300799000,
      253402300800000,
      -62135596800000,
      -62135596801000,
      -30610224000000,
      1e12 + 5000,
    ];
    for (const ms of edges) expect(rfc3339Seconds(ms)).toBe(reference(ms));
    // about 3 years of seconds in coarse, irregular steps, across month ends, leap days and the year 2000
    for (let ms = 946_000_000_000; ms < 1_046_000_000_000; ms += 86_399_000 + 7_000)
      expect(rfc3339Seconds(ms)).toBe(reference(ms));
  });

  it('latestObservedTime: the newest request timestamp to the second, the epoch without any', () => {
    const req = (times: string[]) => ({
      controller: { apiVersion: 'v1', kind: 'X', metadata: {} },
      parent: {
        apiVersion: 'v1',
        kind: 'Agent',
        metadata: { name: 'a', creationTimestamp: times[0], managedFields: times.slice(1).map((time) => ({ time })) },
      },
      children: {},
      related: {},
    });
    expect(latestObservedTime(req(['2026-01-02T03:04:05Z', '2026-01-02T03:04:06.900+00:00', 'garbage']))).toBe(
      '2026-01-02T03:04:06Z',
    );
    expect(latestObservedTime(req(['1969-12-31T23:59:58Z']))).toBe('1969-12-31T23:59:58Z');
    expect(latestObservedTime(req([]))).toBe('1970-01-01T00:00:00Z');
  });
});

// buildConditions takes the transition time lazily: walking the request for its newest timestamp is needed only when
// a condition's status changes, which a steady-state resync never does.
describe('buildConditions transition time', () => {
  const wanted: ConditionInput[] = [
    { type: 'Accepted', status: 'True', reason: 'Reconciled', message: 'm' },
    { type: 'Ready', status: 'False', reason: 'DeploymentNotReady', message: '0/1 replicas ready' },
  ];
  const parent = (conditions: { type: string; status: string; lastTransitionTime?: string }[]) => ({
    apiVersion: 'kagent.dev/v1alpha2',
    kind: 'Agent',
    metadata: { name: 'a', generation: 3 },
    status: { conditions },
  });

  it('keeps the observed times and never asks for a new one when no status changes', () => {
    let calls = 0;
    const now = () => (calls++, '2030-01-01T00:00:00Z');
    const out = buildConditions(
      parent([
        { type: 'Ready', status: 'False', lastTransitionTime: '2026-01-02T00:00:00Z' },
        { type: 'Accepted', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' },
      ]),
      wanted,
      now,
    );
    expect(calls).toBe(0);
    expect(out.map((c) => c.lastTransitionTime)).toEqual(['2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z']);
    expect(out.map((c) => c.observedGeneration)).toEqual([3, 3]);
  });

  it('asks once for the new time when statuses change, and uses it for every changed or new condition', () => {
    let calls = 0;
    const now = () => (calls++, '2030-01-01T00:00:00Z');
    const out = buildConditions(
      parent([{ type: 'Accepted', status: 'False', lastTransitionTime: '2026-01-01T00:00:00Z' }]),
      wanted,
      now,
    );
    expect(calls).toBe(1);
    expect(out.map((c) => c.lastTransitionTime)).toEqual(['2030-01-01T00:00:00Z', '2030-01-01T00:00:00Z']);
    // an observed condition without a time gets the new one; a plain string works as before
    const fixed = buildConditions(parent([{ type: 'Accepted', status: 'True' }]), wanted, '2031-01-01T00:00:00Z');
    expect(fixed.map((c) => c.lastTransitionTime)).toEqual(['2031-01-01T00:00:00Z', '2031-01-01T00:00:00Z']);
  });
});
