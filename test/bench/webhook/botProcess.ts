// The process under test, started as the README starts the bot: `npm start` (the `start` script of package.json) in
// the repository, with the bench's environment. BENCH_PROFILE=1 runs the start script's command with
// `node --cpu-prof --cpu-prof-dir=<dir>` instead (npm would profile itself too), and stop() prints where the
// .cpuprofile went (written when the bot exits after SIGTERM). Other scripts (the echo bots) start with `node --import
// tsx <file>`. The real node process is found under npm/sh through /proc, for its memory and for the signal.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { rssMb, sleep } from './lib.ts';

export const ROOT = path.resolve(import.meta.dirname, '../../..');
/** Bounds: start to ready, stop to exit. */
const READY_WAIT_MS = 60_000;
const EXIT_WAIT_MS = 20_000;

/** The `start` script of package.json (what `npm start` runs). */
export function startScript(): string {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  return pkg.scripts.start;
}

export type Command = { kind: 'npm-start' } | { kind: 'script'; file: string } | { kind: 'profile'; dir: string };

export class ChildUnderTest {
  private log = '';
  private exited: Promise<void>;
  private nodePid: number | undefined;

  private constructor(
    private readonly child: ChildProcess,
    readonly label: string,
    private readonly profileDir: string | undefined,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const onData = (d: Buffer) => {
      this.log = (this.log + d.toString()).slice(-20_000);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
  }

  /** Spawns it (own process group, so that nothing is left behind) with exactly `env` (plus PATH and HOME). */
  static spawn(label: string, command: Command, env: Record<string, string>): ChildUnderTest {
    const fullEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env };
    const options = {
      cwd: ROOT,
      env: fullEnv,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'] as ('ignore' | 'pipe')[],
    };
    let child: ChildProcess;
    if (command.kind === 'npm-start') child = spawn('npm', ['start', '--silent'], options);
    else if (command.kind === 'script') child = spawn(process.execPath, ['--import', 'tsx', command.file], options);
    else {
      const script = startScript().replace(/(^|\s)node(\s)/, `$1node --cpu-prof --cpu-prof-dir=${command.dir}$2`);
      child = spawn('sh', ['-c', script], options);
    }
    return new ChildUnderTest(child, label, command.kind === 'profile' ? command.dir : undefined);
  }

  /** Polls `url` (every 10 ms) until it answers 200; returns ms since `since` (performance.now()). */
  async waitReady(url: string, since: number): Promise<number> {
    const deadline = Date.now() + READY_WAIT_MS;
    for (;;) {
      if (this.child.exitCode !== null) throw new Error(`${this.label} exited before ready:\n${this.tail()}`);
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
        await res.arrayBuffer();
        if (res.status === 200) return performance.now() - since;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`${this.label} not ready within ${READY_WAIT_MS} ms:\n${this.tail()}`);
      await sleep(10);
    }
  }

  /** The node process itself (below npm and sh when started with `npm start`). */
  async pid(): Promise<number> {
    if (this.nodePid !== undefined) return this.nodePid;
    const root = this.child.pid!;
    let found = root;
    const queue = [root];
    while (queue.length > 0) {
      const pid = queue.shift()!;
      const argv0 = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0')[0] ?? '';
      if (path.basename(argv0) === 'node' || argv0 === process.execPath) found = pid; // the deepest node wins
      const tasks = await readdir(`/proc/${pid}/task`).catch(() => [] as string[]);
      for (const task of tasks) {
        const children = await readFile(`/proc/${pid}/task/${task}/children`, 'utf8').catch(() => '');
        queue.push(...children.split(/\s+/).filter(Boolean).map(Number));
      }
    }
    this.nodePid = found;
    return found;
  }

  async rssMb(): Promise<number> {
    return rssMb(await this.pid());
  }

  /** SIGTERM to the node process, wait for the exit (then SIGKILL to the group); the profile's path when profiling. */
  async stop(): Promise<string | undefined> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      try {
        process.kill(await this.pid(), 'SIGTERM');
      } catch {
        // already gone
      }
      await Promise.race([this.exited, sleep(EXIT_WAIT_MS)]);
    }
    try {
      process.kill(-this.child.pid!, 'SIGKILL');
    } catch {
      // the group is gone
    }
    await Promise.race([this.exited, sleep(2_000)]);
    if (this.profileDir === undefined) return undefined;
    // One file per thread (tsx's loader runs in a worker): the main thread's is the largest.
    const files = (await readdir(this.profileDir).catch(() => [] as string[])).filter((f) => f.endsWith('.cpuprofile'));
    const sized = await Promise.all(
      files.map(async (f) => ({
        file: path.join(this.profileDir!, f),
        size: (await stat(path.join(this.profileDir!, f))).size,
      })),
    );
    return sized.sort((a, b) => b.size - a.size)[0]?.file;
  }

  tail(): string {
    return this.log.slice(-4_000);
  }
}
