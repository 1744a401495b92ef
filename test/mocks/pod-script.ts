// The seed scenario's model: asks for list_pods first; once a tool result is in the conversation, names the
// CrashLoopBackOff pod from it. Shared by the scenario tests and the image-like runtime test.
import type { ChatRequestBody, MockTurn } from './mock-llm.js';

export function podScript(body: ChatRequestBody): MockTurn {
  const last = body.messages[body.messages.length - 1];
  if (last?.role === 'tool') {
    const pods = JSON.parse(String(last.content)) as Array<{ name: string; reason: string }>;
    const bad = pods.find((p) => p.reason === 'CrashLoopBackOff');
    return { text: `The pod ${bad?.name} is unhealthy: it is in CrashLoopBackOff.` };
  }
  return { toolCalls: [{ name: 'list_pods', arguments: { namespace: 'default' } }] };
}
