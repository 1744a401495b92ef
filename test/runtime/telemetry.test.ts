// With OTEL_EXPORTER_OTLP_ENDPOINT set, a task produces spans for the task, each LLM call and each tool call, with
// gen_ai attributes; the metrics endpoint counts tool calls by tool.
import { describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startMockLlm } from '../mocks/mock-llm.js';
import { startMcpServer } from '../mocks/mcp-server.js';
import { userMessage } from '../../runtime/a2a/parts.js';
import { baseConfig, clientFor, startAgent } from './helpers.js';

describe('telemetry', () => {
  it('exports task, LLM and tool spans with gen_ai attributes over OTLP', async () => {
    const bodies: string[] = [];
    const collector = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        bodies.push(body);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => collector.listen(0, '127.0.0.1', r));
    const llm = await startMockLlm([
      { toolCalls: [{ name: 'list_pods' }], usage: { prompt_tokens: 42, completion_tokens: 7 } },
      { text: 'done' },
    ]);
    const mcp = await startMcpServer();
    try {
      const rt = await startAgent(baseConfig(llm.url, { http_tools: [{ params: { url: mcp.url } }] }), {
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}`,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      });
      const client = await clientFor(rt.url);
      await client.sendMessage({
        tenant: '',
        message: userMessage('pods?'),
        configuration: undefined,
        metadata: undefined,
      });
      const metrics = await (await fetch(`${rt.url}/metrics`)).text();
      expect(metrics).toMatch(/metagent_runtime_tool_calls_total\{[^}]*tool="list_pods"[^}]*\} 1/);
      await rt.close(); // flushes the spans (a loaded machine may deliver the export a little later)
      // Spans may arrive in several export batches; wait for all of them.
      const wanted = [
        'invoke_agent',
        'chat gpt-4o',
        'execute_tool list_pods',
        'gen_ai.usage.input_tokens',
        'gen_ai.tool.name',
      ];
      await expect.poll(() => wanted.filter((w) => !bodies.join('\n').includes(w)), { timeout: 10_000 }).toEqual([]);
      const all = bodies.join('\n');
      expect(all).toContain('invoke_agent');
      expect(all).toContain('chat gpt-4o');
      expect(all).toContain('execute_tool list_pods');
      expect(all).toContain('gen_ai.usage.input_tokens');
      expect(all).toContain('gen_ai.tool.name');
    } finally {
      await llm.close();
      await mcp.close();
      collector.close();
    }
  });
});
