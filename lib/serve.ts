// The lifetime of a long-running command (webhooks, sync-hooks, runtime, toolserver): serve until SIGTERM or SIGINT,
// close the server gracefully (it finishes or cancels in-flight work), then exit 0 — also when SDK clients still
// hold keep-alive timers that would otherwise keep the process up.
export interface Closable {
  close(): Promise<void>;
}

export async function serveUntilSignal(name: string, server: Closable): Promise<never> {
  const signal = await new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  process.stderr.write(`metagent ${name}: ${signal}, stopping\n`);
  try {
    await server.close();
  } catch (err) {
    process.stderr.write(`metagent ${name}: shutdown error: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  process.exit(0);
}
