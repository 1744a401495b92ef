// Keeps the HTTPS server's certificate in step with the files on disk. cert-manager rotates a mounted Secret by
// swapping a symlink (..data) in the volume directory, which fs.watch on the file itself can miss, so the files are
// also polled; a reload happens only when the content changed and the new pair loads (a half-written rotation keeps
// the old, working certificate).
import { X509Certificate, createHash, createPrivateKey } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createSecureContext } from 'node:tls';

export interface CertPair {
  cert: string;
  key: string;
}

export async function readPair(certFile: string, keyFile: string): Promise<CertPair> {
  const [cert, key] = await Promise.all([readFile(certFile, 'utf8'), readFile(keyFile, 'utf8')]);
  return { cert, key };
}

/**
 * Throws unless cert is a parseable certificate whose public key matches key. (createSecureContext alone accepts
 * empty strings, which a rotation in progress can briefly leave on disk.)
 */
export function verifyPair(pair: CertPair): void {
  const cert = new X509Certificate(pair.cert);
  if (!cert.checkPrivateKey(createPrivateKey(pair.key))) throw new Error('certificate and key do not match');
  createSecureContext(pair);
}

const digest = (p: CertPair) => createHash('sha256').update(p.cert).update('\0').update(p.key).digest('hex');

export interface CertReloader {
  /** Check the files now; resolves true when a new certificate was installed. */
  check(): Promise<boolean>;
  stop(): void;
}

export function startCertReloader(opts: {
  certFile: string;
  keyFile: string;
  initial: CertPair;
  intervalMs: number;
  install(pair: CertPair): void;
  onReload(result: 'ok' | 'error', error?: unknown): void;
}): CertReloader {
  let current = digest(opts.initial);
  let running: Promise<boolean> | undefined;
  let lastError = '';
  // Report each distinct failure once, not on every poll while a rotation is in progress.
  const failed = (err: unknown): false => {
    const msg = err instanceof Error ? err.message : String(err);
    if (msg !== lastError) opts.onReload('error', err);
    lastError = msg;
    return false;
  };

  const checkOnce = async (): Promise<boolean> => {
    let pair: CertPair;
    try {
      pair = await readPair(opts.certFile, opts.keyFile);
    } catch (err) {
      return failed(err);
    }
    const d = digest(pair);
    if (d === current) return false;
    try {
      verifyPair(pair); // throws on an empty, partial or mismatched pair
    } catch (err) {
      return failed(err);
    }
    lastError = '';
    opts.install(pair);
    current = d;
    opts.onReload('ok');
    return true;
  };
  // Serialise checks so a watch event and the poll never install out of order.
  const check = (): Promise<boolean> => {
    running = (running ?? Promise.resolve(false)).then(checkOnce, checkOnce);
    return running;
  };

  const timer = setInterval(() => void check(), opts.intervalMs);
  timer.unref();
  const watchers: FSWatcher[] = [];
  for (const dir of new Set([dirname(opts.certFile), dirname(opts.keyFile)])) {
    try {
      const w = watch(dir, () => void check());
      w.on('error', () => undefined); // the poll still covers us
      w.unref();
      watchers.push(w);
    } catch {
      // Directory not watchable (e.g. some overlay filesystems): polling alone.
    }
  }
  return {
    check,
    stop() {
      clearInterval(timer);
      for (const w of watchers) w.close();
    },
  };
}
