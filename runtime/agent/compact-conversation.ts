// After a completed task: compacts the context's conversation when context_config.compaction says so (the plan and
// the entries are compaction.ts's pure functions; this runs the summariser and writes the store). A failure is logged
// and leaves the conversation as it was.
import type { Span } from '@opentelemetry/api';
import { compactionEntries, planCompaction, summaryRequest } from './compaction.js';
import type { ExecutorDeps } from './deps.js';
import { callLlm } from './llm-call.js';

export async function compactConversation(
  deps: ExecutorDeps,
  contextId: string,
  lastPromptTokens: number,
  parent: Span,
  signal: AbortSignal,
): Promise<void> {
  const { compaction, conversations, log, settings, telemetry } = deps;
  if (!compaction) return;
  try {
    const stored = await conversations.load(contextId);
    const plan = planCompaction(stored, lastPromptTokens, compaction.settings);
    if (!plan) return;
    let summary: string | undefined;
    const summarizer = compaction.summarizer;
    const prompt = compaction.settings.promptTemplate;
    if (summarizer && prompt) {
      // The task's signal: a shutdown that cancels what is still running cancels this too.
      const result = await callLlm(deps, {
        model: summarizer,
        messages: summaryRequest(plan, prompt),
        specs: [],
        onText: undefined,
        signal,
        apiKey: undefined,
        parent,
        timeoutMs: settings.llmTimeoutMs,
      });
      summary = result.text.trim() || undefined;
      if (!summary) throw new Error('the summariser answered with no text');
    }
    const entries = compactionEntries(plan, summary);
    // In place of what was loaded: a turn that finished while the summariser ran stays, after the summary.
    if (entries.length >= stored.length || !(await conversations.replacePrefix(contextId, stored, entries))) {
      log.info(
        { contextId, reason: plan.reason },
        'conversation not compacted: another compaction changed it first, or it would not shrink',
      );
      return;
    }
    log.info(
      {
        contextId,
        reason: plan.reason,
        compacted: plan.summarise.length,
        kept: plan.kept.length,
        summarised: summary !== undefined,
      },
      'conversation compacted',
    );
  } catch (err) {
    telemetry.metrics.error('compaction');
    log.warn(
      { contextId, err: (err as Error).message?.slice(0, 300) },
      'conversation compaction failed; the conversation is kept as it was',
    );
  }
}
