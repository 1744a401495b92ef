import { describe, it, expect } from 'vitest';
import type { V1Pod, CoreV1Event } from '@kubernetes/client-node';
import { podHealth, kubectlStatus } from '../../toolserver/pod-health.js';
import {
  formatPodList,
  formatPodDescription,
  formatEvents,
  formatServerTable,
  formatLogs,
  truncate,
} from '../../toolserver/format.js';
import { findResourceKind, resourcePath } from '../../toolserver/resources.js';
import { formatAge, formatTable } from '../../lib/table.js';

const now = new Date('2026-01-01T12:00:00Z');
const created = new Date('2026-01-01T11:00:00Z');

function pod(name: string, status: V1Pod['status'], extra: Partial<V1Pod> = {}): V1Pod {
  return {
    metadata: { name, namespace: 'shop', creationTimestamp: created },
    spec: { containers: [{ name: 'main', image: 'img' }], nodeName: 'node-1' },
    status,
    ...extra,
  };
}

const running = (name: string) =>
  pod(name, {
    phase: 'Running',
    containerStatuses: [
      {
        name: 'main',
        image: 'img',
        imageID: '',
        ready: true,
        restartCount: 0,
        state: { running: { startedAt: created } },
      },
    ],
  });

const crashLoop = pod('redis-2', {
  phase: 'Running',
  containerStatuses: [
    {
      name: 'main',
      image: 'redis',
      imageID: '',
      ready: false,
      restartCount: 7,
      state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container' } },
      lastState: { terminated: { exitCode: 1, reason: 'Error' } },
    },
  ],
});

describe('podHealth', () => {
  it('a running, ready pod is healthy', () => {
    const h = podHealth(running('web-1'), now);
    expect(h).toMatchObject({ status: 'Running', ready: '1/1', restarts: 0, healthy: true, problems: [] });
  });

  it('flags CrashLoopBackOff with restarts and the last exit', () => {
    const h = podHealth(crashLoop, now);
    expect(h.healthy).toBe(false);
    expect(h.status).toBe('CrashLoopBackOff');
    expect(h.ready).toBe('0/1');
    expect(h.restarts).toBe(7);
    expect(h.problems[0]).toContain('container main CrashLoopBackOff');
    expect(h.problems[0]).toContain('7 restarts');
    expect(h.problems[0]).toContain('last exit: Error (code 1)');
  });

  it('ContainerCreating is not a problem, but Pending beyond the grace period is', () => {
    const creating = pod(
      'a',
      {
        phase: 'Pending',
        containerStatuses: [
          {
            name: 'main',
            image: '',
            imageID: '',
            ready: false,
            restartCount: 0,
            state: { waiting: { reason: 'ContainerCreating' } },
          },
        ],
      },
      {
        metadata: { name: 'a', namespace: 'shop', creationTimestamp: new Date(now.getTime() - 30_000) },
      },
    );
    expect(podHealth(creating, now).healthy).toBe(true);
    const stuck = pod('b', { phase: 'Pending' }, { spec: { containers: [{ name: 'main' }] } });
    const h = podHealth(stuck, now);
    expect(h.healthy).toBe(false);
    expect(h.problems[0]).toBe('Pending for 60m (no node assigned)');
  });

  it('reports unschedulable pods, failed pods and image pull errors', () => {
    const unsched = pod('c', {
      phase: 'Pending',
      conditions: [
        { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available' },
      ],
    });
    expect(podHealth(unsched, now).problems).toEqual(['not scheduled: Unschedulable (0/3 nodes are available)']);
    const evicted = pod('d', { phase: 'Failed', reason: 'Evicted', message: 'low on memory' });
    expect(kubectlStatus(evicted)).toBe('Evicted');
    expect(podHealth(evicted, now).problems[0]).toBe('pod failed: Evicted (low on memory)');
    const pull = pod('e', {
      phase: 'Pending',
      containerStatuses: [
        {
          name: 'main',
          image: 'x',
          imageID: '',
          ready: false,
          restartCount: 0,
          state: { waiting: { reason: 'ImagePullBackOff' } },
        },
      ],
    });
    expect(podHealth(pull, now).status).toBe('ImagePullBackOff');
    expect(podHealth(pull, now).healthy).toBe(false);
  });

  it('a completed job pod is healthy; a running-but-unready container is not', () => {
    const done = pod('job-1', {
      phase: 'Succeeded',
      containerStatuses: [
        {
          name: 'main',
          image: '',
          imageID: '',
          ready: false,
          restartCount: 0,
          state: { terminated: { exitCode: 0, reason: 'Completed' } },
        },
      ],
    });
    expect(podHealth(done, now)).toMatchObject({ status: 'Completed', healthy: true });
    const unready = pod('u', {
      phase: 'Running',
      containerStatuses: [
        { name: 'main', image: '', imageID: '', ready: false, restartCount: 0, state: { running: {} } },
      ],
    });
    expect(podHealth(unready, now).problems).toEqual(['container main running but not ready']);
  });

  it('init container states give Init: statuses', () => {
    const init = pod(
      'i',
      {
        phase: 'Pending',
        initContainerStatuses: [
          {
            name: 'setup',
            image: '',
            imageID: '',
            ready: false,
            restartCount: 3,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
          },
        ],
      },
      {
        spec: { initContainers: [{ name: 'setup' }], containers: [{ name: 'main' }] },
      },
    );
    expect(kubectlStatus(init)).toBe('Init:CrashLoopBackOff');
    expect(podHealth(init, now).healthy).toBe(false);
    expect(kubectlStatus({ ...init, metadata: { ...init.metadata, deletionTimestamp: now } })).toBe('Terminating');
  });

  it('past restarts of a now-healthy pod are a note, not a problem', () => {
    const p = running('web-2');
    p.status!.containerStatuses![0].restartCount = 2;
    p.status!.containerStatuses![0].lastState = { terminated: { exitCode: 137, reason: 'OOMKilled' } };
    const h = podHealth(p, now);
    expect(h.healthy).toBe(true);
    expect(h.notes).toEqual(['restarted 2 time(s), last exit: OOMKilled (code 137)']);
  });
});

describe('formatPodList', () => {
  it('leads with the verdict and names the unhealthy pod', () => {
    const text = formatPodList([running('web-1'), crashLoop, running('redis-1')], 'in namespace shop', now);
    const lines = text.split('\n');
    expect(lines[0]).toBe('1 of 3 pods in namespace shop are UNHEALTHY:');
    expect(lines[1]).toMatch(/^- shop\/redis-2: CrashLoopBackOff — container main CrashLoopBackOff/);
    expect(text).toMatch(/NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+NODE/);
    expect(text).toMatch(/shop\s+redis-2\s+0\/1\s+CrashLoopBackOff \(!\)\s+7\s+60m\s+node-1/);
    expect(text).toMatch(/shop\s+web-1\s+1\/1\s+Running\s+0\s+60m/);
  });

  it('says so when all pods are healthy or there are none', () => {
    expect(formatPodList([running('a')], 'across all namespaces', now).split('\n')[0]).toBe(
      'All 1 pods across all namespaces are healthy.',
    );
    expect(formatPodList([], 'in namespace x', now)).toBe('No pods found in namespace x.');
  });
});

describe('formatPodDescription and formatEvents', () => {
  const ev = (reason: string, at: string, type = 'Warning'): CoreV1Event => ({
    metadata: { name: reason },
    involvedObject: { kind: 'Pod', name: 'redis-2' },
    reason,
    type,
    message: `${reason} message`,
    lastTimestamp: new Date(at),
    count: 3,
  });

  it('describes container state, last state and events', () => {
    const text = formatPodDescription(
      crashLoop,
      [ev('BackOff', '2026-01-01T11:58:00Z'), ev('Pulled', '2026-01-01T11:50:00Z', 'Normal')],
      now,
    );
    expect(text).toContain('Pod shop/redis-2');
    expect(text).toContain('Health: UNHEALTHY — container main CrashLoopBackOff');
    expect(text).toContain(
      'state: Waiting: CrashLoopBackOff — back-off 5m0s restarting failed container   ready: false   restarts: 7',
    );
    expect(text).toContain('last state: Terminated: Error (exit code 1)');
    // oldest first
    expect(text.indexOf('Pulled')).toBeLessThan(text.indexOf('BackOff message'));
    expect(text).toContain('2 events for pod redis-2 (1 warnings)');
  });

  it('keeps only the most recent events beyond the limit', () => {
    const events = Array.from({ length: 5 }, (_, i) => ev(`R${i}`, `2026-01-01T11:0${i}:00Z`));
    const text = formatEvents(events, 'in namespace shop', now, 2);
    expect(text).toContain('5 events in namespace shop (5 warnings), the latest 2 shown');
    expect(text).toContain('R4');
    expect(text).not.toContain('R2 message');
    expect(formatEvents([], 'in namespace x', now)).toBe('No events in namespace x.');
  });
});

describe('server tables, logs, resources', () => {
  it('prints priority-0 columns and a namespace column across namespaces', () => {
    const text = formatServerTable(
      {
        columnDefinitions: [{ name: 'Name' }, { name: 'Ready' }, { name: 'Containers', priority: 1 }],
        rows: [{ cells: ['web', '2/2', 'nginx'], object: { metadata: { namespace: 'shop' } } }],
      },
      'deployments across all namespaces',
      true,
    );
    expect(text.split('\n')[0]).toBe('1 deployments across all namespaces:');
    expect(text).toMatch(/NAMESPACE\s+NAME\s+READY\nshop\s+web\s+2\/2/);
    expect(text).not.toContain('nginx');
    expect(formatServerTable({ rows: [] }, 'services', false)).toBe('No services found.');
  });

  it('logs keep the tail and say when empty', () => {
    expect(formatLogs('', 'of a/b')).toBe('No log output of a/b.');
    const long = `${'x'.repeat(30_000)}THE END`;
    const out = formatLogs(long, 'of a/b');
    expect(out.endsWith('THE END')).toBe(true);
    expect(out).toContain('earlier output cut');
    expect(truncate('abc', 2)).toContain('truncated at 2 characters');
  });

  it('resolves kinds by plural, short name and group, and builds paths', () => {
    expect(findResourceKind('deploy')?.resource).toBe('deployments');
    expect(findResourceKind('Deployments.apps')?.group).toBe('apps');
    expect(findResourceKind('secrets')).toBeUndefined();
    expect(resourcePath(findResourceKind('svc')!, 'shop', 'web')).toBe('/api/v1/namespaces/shop/services/web');
    expect(resourcePath(findResourceKind('agents')!, undefined)).toBe('/apis/kagent.dev/v1alpha2/agents');
    expect(resourcePath(findResourceKind('nodes')!, 'ignored')).toBe('/api/v1/nodes');
  });

  it('table and age helpers', () => {
    expect(formatTable(['A', 'BB'], [['xxx', 'y']])).toBe('A     BB\nxxx   y');
    expect(formatAge(undefined, now)).toBe('<unknown>');
    expect(formatAge(new Date(now.getTime() - 45_000), now)).toBe('45s');
    expect(formatAge(new Date(now.getTime() - 5 * 3600_000), now)).toBe('5h');
    expect(formatAge(new Date(now.getTime() - 3 * 86400_000), now)).toBe('3d');
  });
});
