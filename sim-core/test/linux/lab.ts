/**
 * A lab of real network namespaces for the kernel test: every namespace and
 * background process it starts is recorded, so `teardown()` can remove
 * exactly those (a listener, a capture, whatever still runs inside one of
 * its namespaces) and nothing else, also after a failed assertion.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readPcap } from '../../wire/pcap.ts';

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

/** Why the kernel test cannot run here, or undefined when it can. */
export function whyNoLab(): string | undefined {
  if (process.getuid?.() !== 0) return 'not running as root';
  const tools = ['ip', 'bridge', 'ss', 'sysctl', 'ping', 'nc', 'dumpcap'];
  for (const cmd of tools) if (!has(cmd)) return `${cmd} is not installed`;
  // -N (shutdown after stdin's EOF) and -k are netcat-openbsd's.
  const nc = spawnSync('nc', ['-h'], { encoding: 'utf8' });
  if (!/OpenBSD netcat/.test(nc.stdout + nc.stderr)) return 'nc is not netcat-openbsd';
  const probe = `kwlt-${process.pid}-probe`;
  const add = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' });
  if (add.status !== 0) return `ip netns add fails: ${add.stderr.trim()}`;
  spawnSync('ip', ['netns', 'del', probe]);
  return undefined;
}

/** Why the ClusterIP cases cannot run (iptables-nft, conntrack, br_netfilter in a netns). */
export function whyNoNetfilter(): string | undefined {
  for (const cmd of ['iptables', 'iptables-restore', 'conntrack'])
    if (!has(cmd)) return `${cmd} is not installed`;
  const probe = `kwlt-${process.pid}-brnf`;
  spawnSync('ip', ['netns', 'add', probe]);
  try {
    // br_netfilter's sysctls exist when it is built in (as here) or its module is loaded.
    spawnSync('ip', ['-n', probe, 'link', 'add', 'br0', 'type', 'bridge']);
    const r = spawnSync(
      'ip',
      ['netns', 'exec', probe, 'sysctl', '-n', 'net.bridge.bridge-nf-call-iptables'],
      { encoding: 'utf8' },
    );
    if (r.status !== 0) return `no br_netfilter (modprobe br_netfilter): ${r.stderr.trim()}`;
    return undefined;
  } finally {
    spawnSync('ip', ['netns', 'del', probe]);
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly timeoutMs?: number;
  readonly allowFail?: boolean;
  /** Written to the command's stdin (ip -batch -). */
  readonly input?: string;
}

/** Runs a command to its end (with a time limit); rejects when it fails unless `allowFail`. */
export function run(argv: readonly string[], o: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      argv[0],
      argv.slice(1),
      { encoding: 'utf8', timeout: o.timeoutMs ?? 10_000, killSignal: 'SIGKILL' },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        if (code !== 0 && !o.allowFail)
          reject(new Error(`${argv.join(' ')} → exit ${code}: ${stderr.trim() || err?.message}`));
        else resolve({ code, stdout, stderr });
      },
    );
    // A command that never reads its stdin may exit before we close it.
    child.stdin!.on('error', () => {});
    child.stdin!.end(o.input ?? '');
  });
}

export interface Capture {
  /** How many frames have reached the capture so far. */
  frames(): number;
  /** Ends the capture and returns its frames, in order. */
  stop(): Promise<Uint8Array[]>;
}

export class Lab {
  readonly prefix: string;
  private readonly namespaces: string[] = [];
  private readonly children = new Set<ChildProcess>();

  private static readonly open = new Set<Lab>();

  constructor(name: string) {
    this.prefix = `kwlt-${process.pid}-${name}`;
    Lab.open.add(this);
  }

  /** Tears down every lab not torn down yet. */
  static teardownAll(): void {
    for (const lab of Lab.open) lab.teardown();
  }

  /** New namespaces named prefix-role (one `ip -batch`: starting `ip -n` costs ~30 ms each). */
  async netns(roles: readonly string[]): Promise<string[]> {
    const names = roles.map((r) => `${this.prefix}-${r}`);
    this.namespaces.push(...names);
    await this.ipBatch(
      undefined,
      names.map((n) => `netns add ${n}`),
    );
    return names;
  }

  /** iproute2 commands (without the leading "ip"), in one process, inside `ns` unless undefined. */
  ipBatch(ns: string | undefined, lines: readonly string[]) {
    return this.batch('ip', ns, lines);
  }

  bridgeBatch(ns: string, lines: readonly string[]) {
    return this.batch('bridge', ns, lines);
  }

  private batch(tool: 'ip' | 'bridge', ns: string | undefined, lines: readonly string[]) {
    if (!lines.length) return Promise.resolve(undefined);
    const argv = [tool, ...(ns ? ['-n', ns] : []), '-batch', '-'];
    return run(argv, { input: lines.join('\n') + '\n' });
  }

  ip(...args: string[]) {
    return run(['ip', ...args]);
  }

  bridge(...args: string[]) {
    return run(['bridge', ...args]);
  }

  exec(ns: string, argv: readonly string[], o?: RunOptions) {
    return run(['ip', 'netns', 'exec', ns, ...argv], o);
  }

  /** `sh -c` inside a namespace. */
  sh(ns: string, script: string, o?: RunOptions) {
    return this.exec(ns, ['sh', '-c', script], o);
  }

  /** A background process inside a namespace; its stdout is collected. */
  background(ns: string, argv: readonly string[]): { child: ChildProcess; output: () => string } {
    const child = spawn('ip', ['netns', 'exec', ns, ...argv], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.resume();
    return { child, output: () => out };
  }

  /** `nc -l[k] PORT` in a namespace, resolved once the socket listens. */
  async listen(ns: string, port: number, keep = false) {
    const bg = this.background(ns, ['nc', keep ? '-lk' : '-l', String(port)]);
    for (let i = 0; i < 100; i++) {
      const r = await this.exec(ns, ['ss', '-Hltn', `sport = :${port}`]);
      if (r.stdout.trim()) return bg;
      await sleep(20);
    }
    throw new Error(`no listener on ${ns}:${port}`);
  }

  /**
   * dumpcap on one device, non-promiscuous (-p: a capture must not change what
   * a bridge does), classic pcap streamed to us (a pipe makes dumpcap flush
   * every packet). dumpcap, not tshark: tshark starts extcap helpers whose
   * probes would leave through the namespace's devices. It stops by itself
   * after `maxSeconds` in any case.
   */
  async capture(ns: string, iface: string, maxSeconds = 20): Promise<Capture> {
    const argv = [
      'dumpcap',
      '-i',
      iface,
      '-p',
      '-P',
      '-q',
      '-a',
      `duration:${maxSeconds}`,
      '-w',
      '-',
    ];
    const child = spawn('ip', ['netns', 'exec', ns, ...argv], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    let bytes = Buffer.alloc(0);
    child.stdout!.on('data', (d: Buffer) => (bytes = Buffer.concat([bytes, d])));
    /** Whole records so far (the pcap header is 24 bytes, each record's 16). */
    const count = () => {
      let n = 0;
      for (let o = 24; o + 16 <= bytes.length; n++) {
        o += 16 + bytes.readUInt32LE(o + 8);
        if (o > bytes.length) break;
      }
      return n;
    };
    await new Promise<void>((resolve, reject) => {
      let err = '';
      const fail = (why: string) =>
        reject(new Error(`dumpcap on ${ns}/${iface} ${why}: ${err.trim()}`));
      const timer = setTimeout(() => fail('did not start'), 10_000);
      child.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
        if (/Capturing on/.test(err)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        fail(`exited (${code})`);
      });
    });
    return {
      frames: count,
      stop: async () => {
        const exited = new Promise((r) => child.once('exit', r));
        if (child.exitCode === null) child.kill('SIGINT');
        await exited;
        if (bytes.length < 24) throw new Error(`dumpcap on ${ns}/${iface} wrote no pcap`);
        return readPcap(new Uint8Array(bytes)).records.map((r) => r.data);
      },
    };
  }

  /** Starts captures on several devices at once; resolved when all of them capture. */
  async captures(points: readonly [string, string][]): Promise<Capture[]> {
    const caps = await Promise.all(points.map(([ns, iface]) => this.capture(ns, iface)));
    await sleep(100); // "Capturing on" comes as the socket opens
    return caps;
  }

  /** Kills what this lab started and deletes its namespaces. Safe to call twice. */
  teardown(): void {
    Lab.open.delete(this);
    for (const c of this.children) if (c.pid && c.exitCode === null) c.kill('SIGKILL');
    this.children.clear();
    const namespaces = this.namespaces.splice(0);
    for (const ns of namespaces) {
      // Anything still running inside a namespace of ours was started by us.
      const pids = spawnSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).stdout ?? '';
      for (const pid of pids.split(/\s+/).filter(Boolean)) {
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    const del = namespaces.map((ns) => `netns del ${ns}`).join('\n');
    if (del) spawnSync('ip', ['-force', '-batch', '-'], { input: del + '\n' });
  }

  /** Namespaces of this process still present (`ip -all netns` would list them). */
  static leftovers(): string[] {
    const list = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout;
    return list
      .split('\n')
      .map((l) => l.split(' ')[0])
      .filter((n) => n.startsWith(`kwlt-${process.pid}-`));
  }
}

/** Waits until `dev` in netns `ns` reports state UP (a veth is UP once both ends are). */
export async function waitUp(lab: Lab, ns: string, dev: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const r = await lab.ip('-n', ns, '-o', 'link', 'show', 'dev', dev);
    if (/state UP/.test(r.stdout)) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${ns}/${dev} never came up`);
}

/**
 * A node's eth0 on the node network, as a node pair's two ends share it: the
 * first node makes the veth (its peer into `peerNs`), each sets its MAC and
 * address and the default route to the gateway.
 */
export function uplinkLines(
  node: { readonly mac: string; readonly ip: string },
  net: { readonly prefix: number; readonly gateway: string },
  peerNs: string | undefined,
): string[] {
  return [
    ...(peerNs ? [`link add eth0 type veth peer name eth0 netns ${peerNs}`] : []),
    'link set lo up',
    `link set eth0 address ${node.mac}`,
    `addr add ${node.ip}/${net.prefix} dev eth0`,
    'link set eth0 up',
    `route add default via ${net.gateway} dev eth0`,
  ];
}
