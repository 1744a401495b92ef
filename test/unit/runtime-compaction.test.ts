// Context compaction's pure core: when to compact, what is summarised and kept (never splitting a tool call from its
// result), what the model then sees, and kagent's config read into settings.
import { describe, expect, it } from 'vitest';
import {
  compactionEntries,
  compactionSettings,
  DEFAULT_PROMPT_TEMPLATE,
  effectiveHistory,
  planCompaction,
  summaryRequest,
  type CompactionSettings,
} from '../../runtime/agent/compaction.js';
import type { ChatMessage } from '../../runtime/models/types.js';

/** One invocation: the user asks, the model calls a tool, the tool answers, the model answers. */
const turn = (n: number, withTool = false): ChatMessage[] => [
  { role: 'user', content: `question ${n}` },
  ...(withTool
    ? ([
        { role: 'assistant', content: '', toolCalls: [{ id: `c${n}`, name: 'list_pods', arguments: '{}' }] },
        { role: 'tool', toolCallId: `c${n}`, name: 'list_pods', content: `pods ${n}` },
      ] as ChatMessage[])
    : []),
  { role: 'assistant', content: `answer ${n}` },
];
const turns = (from: number, to: number, withTool = false) =>
  Array.from({ length: to - from + 1 }, (_, i) => turn(from + i, withTool)).flat();
const settings = (s: Partial<CompactionSettings> = {}): CompactionSettings => ({
  interval: 3,
  overlap: 1,
  retainMessages: 0,
  promptTemplate: 'Summarise.',
  ...s,
});

describe('compactionSettings', () => {
  it("reads kagent's context_config.compaction, with the CRD defaults", () => {
    expect(compactionSettings({ compaction: {} })).toEqual({
      interval: 5,
      overlap: 2,
      tokenThreshold: undefined,
      retainMessages: 0,
      promptTemplate: undefined,
    });
    expect(
      compactionSettings({
        compaction: {
          compaction_interval: 4,
          overlap_size: 0,
          token_threshold: 5000,
          event_retention_size: 6,
          prompt_template: 'P',
          summarizer_model: { type: 'openai', model: 'm' },
        },
      }),
    ).toEqual({ interval: 4, overlap: 0, tokenThreshold: 5000, retainMessages: 6, promptTemplate: 'P' });
  });
  it('a summariser without a prompt template gets the default one; no compaction block means off', () => {
    expect(
      compactionSettings({ compaction: { summarizer_model: { type: 'openai', model: 'm' } } })?.promptTemplate,
    ).toBe(DEFAULT_PROMPT_TEMPLATE);
    expect(compactionSettings(undefined)).toBeUndefined();
    expect(compactionSettings({})).toBeUndefined();
  });
});

describe('planCompaction', () => {
  it('waits for the interval, then summarises all but the overlapping invocations', () => {
    expect(planCompaction(turns(1, 2), 0, settings())).toBeUndefined();
    const plan = planCompaction(turns(1, 3), 0, settings())!;
    expect(plan.reason).toBe('interval');
    expect(plan.summarise).toEqual(turns(1, 2));
    expect(plan.kept).toEqual(turn(3));
    expect(plan.carried).toBe(1);
  });

  it('never separates a tool call from its result', () => {
    const plan = planCompaction(turns(1, 3, true), 0, settings({ overlap: 1 }))!;
    expect(plan.kept[0]).toEqual({ role: 'user', content: 'question 3' });
    expect(plan.kept).toHaveLength(4);
    const tokens = planCompaction(
      turns(1, 3, true),
      9000,
      settings({ tokenThreshold: 5000, retainMessages: 2, interval: 100 }),
    )!;
    expect(tokens.reason).toBe('tokens');
    // 2 messages would cut the third invocation in half: its start is kept too.
    expect(tokens.kept).toEqual(turn(3, true));
  });

  it('by tokens: keeps event_retention_size messages (rounded back), or nothing when it is 0', () => {
    const s = settings({ tokenThreshold: 1000, interval: 100 });
    expect(planCompaction(turns(1, 3), 999, s)).toBeUndefined();
    expect(planCompaction(turns(1, 3), 1000, s)).toMatchObject({ kept: [], carried: 0, reason: 'tokens' });
    expect(planCompaction(turns(1, 3), 1000, { ...s, retainMessages: 3 })!.kept).toEqual(turns(2, 3));
  });

  it('counts only new invocations after a compaction, and folds the earlier summary into the next', () => {
    const first = planCompaction(turns(1, 3), 0, settings())!;
    let stored: unknown[] = [...turns(1, 3), ...compactionEntries(first, 'S1')];
    // The carried-over invocation 3 does not count: two new ones are not yet three.
    stored = [...stored, ...turns(4, 5)];
    expect(planCompaction(stored, 0, settings())).toBeUndefined();
    stored = [...stored, ...turn(6)];
    const second = planCompaction(stored, 0, settings())!;
    expect(second.summarise[0]).toEqual({ role: 'system', content: 'Summary of the earlier conversation:\nS1' });
    expect(second.summarise.slice(1)).toEqual(turns(3, 5));
    expect(second.kept).toEqual(turn(6));
  });

  it('with nothing but the previous summary before the cut there is nothing to do', () => {
    const first = planCompaction(
      turns(1, 2),
      9999,
      settings({ tokenThreshold: 10, retainMessages: 2, interval: 100 }),
    )!;
    const stored = [...turns(1, 2), ...compactionEntries(first, 'S1')];
    expect(effectiveHistory(stored)).toEqual([
      { role: 'system', content: 'Summary of the earlier conversation:\nS1' },
      ...turn(2),
    ]);
    expect(
      planCompaction(stored, 9999, settings({ tokenThreshold: 10, retainMessages: 2, interval: 100 })),
    ).toBeUndefined();
  });
});

describe('effectiveHistory and the appended entries', () => {
  it('the model sees the summary and the kept messages; the store keeps everything', () => {
    const stored = [
      ...turns(1, 3),
      ...compactionEntries(planCompaction(turns(1, 3), 0, settings())!, 'the gist'),
      ...turn(4),
    ];
    expect(stored.length).toBe(6 + 1 + 2 + 2);
    expect(effectiveHistory(stored)).toEqual([
      { role: 'system', content: 'Summary of the earlier conversation:\nthe gist' },
      ...turns(3, 4),
    ]);
  });
  it('without a summariser the compacted messages are dropped', () => {
    const stored = [...turns(1, 3), ...compactionEntries(planCompaction(turns(1, 3), 0, settings())!, undefined)];
    expect(effectiveHistory(stored)).toEqual(turn(3));
  });
  it('a conversation that was never compacted is as stored', () => {
    expect(effectiveHistory(turns(1, 2))).toEqual(turns(1, 2));
  });
});

describe('summaryRequest', () => {
  it('is the prompt template, then the transcript with tool calls and results', () => {
    const req = summaryRequest({ summarise: turn(1, true), kept: [], carried: 0, reason: 'interval' }, 'Summarise.');
    expect(req[0]).toEqual({ role: 'system', content: 'Summarise.' });
    expect(req[1].content).toBe(
      'user: question 1\n\nassistant: \n(called list_pods({}))\n\ntool list_pods returned: pods 1\n\nassistant: answer 1',
    );
  });
});
