/**
 * Real OpenSSL on localhost for the interop tests: `openssl s_server` for our
 * client to talk to, `openssl s_client` and `curl` for our server, with a
 * small Node TCP bridge feeding our sans-IO endpoints. Test-only (node:net,
 * node:child_process). `opensslSkipReason` says why it cannot run, never a
 * silent skip.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TlsClient } from '../client.ts';
import type { TlsEndpoint } from '../endpoint.ts';

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

export function opensslSkipReason(tool: 'openssl' | 'curl' = 'openssl'): string | undefined {
  if (!has(tool)) return `${tool} is not installed (apt-get install -y ${tool})`;
  return undefined;
}

export const fixture = (name: string) =>
  new URL(`../../test/fixtures/tls/${name}`, import.meta.url).pathname;

export function tempDir(): { dir: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'kubewire-tls-'));
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface SServer {
  readonly port: number;
  readonly proc: ChildProcess;
  output: () => string;
  stop: () => void;
}

/** Starts `openssl s_server -accept 127.0.0.1:0 …args`, resolves once it prints its port. */
export function startSServer(args: readonly string[]): Promise<SServer> {
  const proc = spawn('openssl', ['s_server', '-accept', '127.0.0.1:0', ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`s_server did not start:\n${out}`)), 10_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /ACCEPT 127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ port: Number(m[1]), proc, output: () => out, stop: () => proc.kill() });
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.on('exit', (code) => reject(new Error(`s_server exited ${code}:\n${out}`)));
  });
}

export interface ClientRun {
  /** Everything the server sent, decrypted. */
  readonly data: string;
  readonly events: string[];
}

/**
 * Drives our client over a real TCP connection: ClientHello, the handshake,
 * then `request` once the handshake is done; resolves when the server
 * closes (or sends close_notify) and we have answered with ours.
 */
export function runClient(
  port: number,
  client: TlsClient,
  request: Uint8Array,
): Promise<ClientRun> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1');
    const data: Uint8Array[] = [];
    const events: string[] = [];
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`timed out; events ${events.join(',')}; ${JSON.stringify(client.error)}`));
    }, 10_000);
    const finish = () => {
      clearTimeout(timer);
      resolve({ data: Buffer.concat(data).toString('latin1'), events });
    };
    sock.on('connect', () => sock.write(Buffer.concat(client.start().send)));
    sock.on('data', (chunk) => {
      const o = client.receive(new Uint8Array(chunk));
      for (const r of o.send) sock.write(r);
      data.push(...o.data);
      events.push(...o.events);
      if (o.events.includes('handshake-done')) for (const r of client.write(request)) sock.write(r);
      if (o.events.includes('close-notify')) {
        for (const r of client.close()) sock.write(r);
        sock.end();
      }
      if (client.state === 'failed') {
        sock.destroy();
        clearTimeout(timer);
        reject(new Error(`TLS failed: ${JSON.stringify(client.error)}`));
      }
    });
    sock.on('close', finish);
    sock.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

export interface Bridge {
  readonly port: number;
  readonly server: Server;
  /** Every server endpoint made, one per connection. */
  readonly endpoints: TlsEndpoint[];
  stop: () => Promise<void>;
}

/**
 * A TCP listener on 127.0.0.1 that hands each connection to a fresh endpoint
 * from `make`, answers each request with `respond(request)` and closes with
 * close_notify after the answer.
 */
export function startBridge(
  make: () => TlsEndpoint,
  respond: (request: string) => string,
): Promise<Bridge> {
  const endpoints: TlsEndpoint[] = [];
  const server = createServer((sock) => {
    const ep = make();
    endpoints.push(ep);
    let request = '';
    sock.on('data', (chunk) => {
      const o = ep.receive(new Uint8Array(chunk));
      if (o.send.length) sock.write(Buffer.concat(o.send));
      request += Buffer.concat(o.data).toString('latin1');
      if (request.includes('\r\n\r\n')) {
        const answer = new TextEncoder().encode(respond(request));
        request = '';
        sock.write(Buffer.concat([...ep.write(answer), ...ep.close()]));
        sock.end();
      }
      if (o.events.includes('close-notify') || ep.state === 'failed') sock.end();
    });
    sock.on('error', () => {});
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      resolve({
        port,
        server,
        endpoints,
        stop: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}

/** Runs a command to completion with `input` on stdin; resolves stdout+stderr and the exit code. */
export function runTool(
  cmd: string,
  args: readonly string[],
  input = '',
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => {
      p.kill();
      reject(new Error(`${cmd} timed out:\n${out}`));
    }, 15_000);
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
    p.stdin.end(input);
  });
}

/** "LABEL secret" pairs of an SSLKEYLOGFILE, sorted, for comparing two files' secrets. */
export function keylogSecrets(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => /^[A-Z_0-9]+ [0-9a-f]{64} [0-9a-f]+$/.test(l))
    .sort();
}

export const readText = (path: string) => readFileSync(path, 'utf8');
