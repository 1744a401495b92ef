// kagent's long-term memory around a task: whose memories it is (the caller), the closest memories recalled into the
// instructions at a conversation's first message, and the automatic save after every 5th user message.
import type { Span } from '@opentelemetry/api';
import type { RequestContext } from '@a2a-js/sdk/server';
import type { ChatMessage } from '../models/types.js';
import type { MemoryCaller } from '../memory/index.js';
import { autoSaveDue, factsRequest, parseFacts, recentTurnsText } from '../memory/auto-save.js';
import type { ExecutorDeps } from './deps.js';
import { callLlm } from './llm-call.js';
import { bearerToken, callerUserId, passthroughKey } from './request-identity.js';

/** Whose memories a task reads and writes. */
export function memoryCaller(ctx: RequestContext, span: Span): MemoryCaller {
  return { userId: callerUserId(ctx), bearer: bearerToken(ctx), span };
}

/**
 * kagent's automatic memory: on every 5th user message of the conversation (as the model saw it this turn) the
 * agent's model lists the facts worth keeping from the last five turns, and each becomes one of the caller's
 * memories. After the answer is out; a failure is logged and changes nothing.
 */
export async function autoSaveMemory(
  deps: ExecutorDeps,
  ctx: RequestContext,
  messages: readonly ChatMessage[],
  parent: Span,
  signal: AbortSignal,
): Promise<void> {
  const { memory, model, log, telemetry } = deps;
  if (!memory || !model) return;
  const conversation = messages.filter((m) => m.role !== 'system');
  if (!autoSaveDue(conversation)) return;
  try {
    const answer = await callLlm(deps, {
      model,
      messages: factsRequest(recentTurnsText(conversation)),
      specs: [],
      onText: undefined,
      signal,
      apiKey: passthroughKey(deps.config, ctx),
      parent,
    });
    const saved = await memory.saveFacts(parseFacts(answer.text), memoryCaller(ctx, parent), signal);
    log.info({ contextId: ctx.contextId, saved }, 'memories saved from the conversation');
  } catch (err) {
    if (signal.aborted) return;
    telemetry.metrics.error('memory_auto_save');
    log.warn(
      { contextId: ctx.contextId, err: (err as Error).message?.slice(0, 300) },
      'saving memories from the conversation failed',
    );
  }
}
