// The system under test for the A2A TCK: `metagent runtime` as a real child process serving one Declarative agent
// whose model is the scripted mock LLM. The mock answers the way the TCK's reference SUT (python-sut/tck_core_agent in
// the TCK archive) does: after a delay (its 0.5 s + 0.5 s + 0.2 s of sleeps), so a task stays `working` long enough to
// be read, cancelled and resubscribed to, with the reference agent's replies.
import { createServer } from 'node:net';
import { startMockLlm, type ChatRequestBody, type MockLlm } from '../mocks/mock-llm.js';
import { agentCard, baseConfig, spawnRuntimeCli, writeConfigDir } from '../runtime/helpers.js';

/** How long the mock model takes to answer: the reference SUT's sleeps add up to 1.2 s. */
export const TCK_MODEL_DELAY_MS = 1200;

/** The reference agent's reply to the user's last text (TckCoreAgent.invoke). */
export function referenceReply(query: string): string {
  const q = query.toLowerCase();
  if (!query.trim()) return 'Hello! Please provide a message for me to respond to.';
  if (q.includes('hello') || q.includes('hi')) return 'Hello World! Nice to meet you!';
  if (q.includes('how are you')) return "I'm doing great! Thanks for asking. How can I help you today?";
  if (q.includes('goodbye') || q.includes('bye')) return 'Goodbye! Have a wonderful day!';
  return `Hello World! You said: '${query}'. Thanks for your message!`;
}

function lastUserText(body: ChatRequestBody): string {
  const last = [...body.messages].reverse().find((m) => m.role === 'user');
  const c = last?.content;
  if (typeof c === 'string') return c;
  if (Array.isArray(c)) return c.map((p: { text?: string }) => p.text ?? '').join('');
  return '';
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as import('node:net').AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface TckSut {
  url: string;
  llm: MockLlm;
  logs: () => { stdout: string; stderr: string };
  stop: () => Promise<void>;
}

export async function startTckSut(env: NodeJS.ProcessEnv = {}): Promise<TckSut> {
  const llm = await startMockLlm(
    (body) => ({ text: referenceReply(lastUserText(body)), delayMs: TCK_MODEL_DELAY_MS }),
    { record: false },
  );
  const card = {
    ...agentCard('tck_core_agent'),
    description: 'metagent runtime under the A2A TCK',
    version: '1.0.0',
    skills: [
      {
        id: 'tck_core_agent',
        name: 'TCK Core Agent',
        description: 'answers like the TCK reference agent',
        tags: ['tck'],
        examples: ['hi'],
      },
    ],
  };
  const dir = await writeConfigDir(baseConfig(llm.url, { stream: true }), card);
  // The card names the agent as localhost: the TCK's card check (test_sensitive_information_protection) refuses
  // private addresses such as 127.0.0.1 in a public card and allows localhost.
  const port = await freePort();
  const rt = spawnRuntimeCli(dir, { METAGENT_PUBLIC_URL: `http://localhost:${port}`, ...env }, port);
  await rt.url;
  const url = `http://localhost:${port}`;
  return {
    url,
    llm,
    logs: rt.output,
    stop: async () => {
      await rt.stop();
      await llm.close();
    },
  };
}

// `npx tsx test/tck/sut.ts` serves the SUT until interrupted (for running the TCK by hand).
if (import.meta.url === `file://${process.argv[1]}`) {
  const sut = await startTckSut();
  console.log(sut.url);
  process.on('SIGINT', () => void sut.stop().then(() => process.exit(0)));
}
