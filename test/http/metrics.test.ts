// The metrics' rules that need no webhook: the configuration (loopback unless a token), the bearer check, the job
// runner's and the database's counts as a scrape shows them.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseConfig, ConfigError } from '../../src/config.ts';
import { createJobRunner } from '../../src/app/jobs/index.ts';
import { createJobStore } from '../../src/data/jobStore.ts';
import { defineJob } from '../../src/domain/jobs.ts';
import { ambientTransactions } from '../../src/data/transactions.ts';
import { ConversationConflictError } from '../../src/conversation/engine.ts';
import { createPrometheusMetrics, metricsAuthorized } from '../../src/http/metrics.ts';
import { silentLogger, TestClock } from '../helpers/chat.ts';
import { describeEachProvider, freshDatabase } from '../helpers/database.ts';

const TOKEN = 'a-bearer-token-0123456789';

function problems(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

/** One sample's value in the exposition text (labels in the order prom-client writes them). */
function sample(text: string, line: string): number | undefined {
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

describe('metrics configuration', () => {
  it('listens on 127.0.0.1:9464 by default, with no token', () => {
    expect(parseConfig({}).metrics).toEqual({ host: '127.0.0.1', port: 9464, token: undefined });
  });

  it('METRICS_PORT=0 turns the listener off', () => {
    expect(parseConfig({ METRICS_PORT: '0' }).metrics.port).toBe(0);
  });

  it('refuses a listener reachable from outside without a token, naming the variable', () => {
    expect(problems({ METRICS_HOST: '0.0.0.0' })).toEqual([expect.stringMatching(/^METRICS_HOST: .*METRICS_TOKEN/)]);
    expect(problems({ METRICS_HOST: '0.0.0.0', METRICS_TOKEN: TOKEN })).toEqual([]);
    expect(problems({ METRICS_HOST: '0.0.0.0', METRICS_PORT: '0' })).toEqual([]);
    expect(problems({ METRICS_HOST: '127.0.0.2' })).toEqual([]);
    expect(problems({ METRICS_HOST: '::1' })).toEqual([]);
  });

  it('refuses the webhook server port for the metrics listener, naming the variable', () => {
    expect(problems({ HTTP_PORT: '9464' })).toEqual([expect.stringMatching(/^METRICS_PORT: .*HTTP_PORT/)]);
    expect(problems({ HTTP_PORT: '8081', METRICS_PORT: '8081' })).toEqual([
      expect.stringMatching(/^METRICS_PORT: .*HTTP_PORT/),
    ]);
    expect(problems({ HTTP_PORT: '8081', METRICS_PORT: '0' })).toEqual([]);
  });

  it('refuses a short token and a bad port without echoing them', () => {
    const found = problems({ METRICS_TOKEN: 'short', METRICS_PORT: '70000' });
    expect(found.some((p) => p.startsWith('METRICS_TOKEN:'))).toBe(true);
    expect(found.some((p) => p.startsWith('METRICS_PORT:'))).toBe(true);
    expect(found.join('\n')).not.toContain('short');
  });

  it('refuses a webhook on /metrics when the main server serves it', () => {
    const env = {
      TELEGRAM_BOT_TOKEN: '123456:TEST-token_abcdefghijklmnop',
      TELEGRAM_MODE: 'webhook',
      TELEGRAM_WEBHOOK_SECRET: 'secret-secret-secret',
      TELEGRAM_WEBHOOK_PATH: '/metrics',
    };
    expect(problems(env)).toEqual([]);
    expect(problems({ ...env, METRICS_TOKEN: TOKEN })).toEqual([expect.stringMatching(/^TELEGRAM_WEBHOOK_PATH: /)]);
  });
});

describe('the bearer token', () => {
  it('lets any request through with no token configured, and only the exact bearer token with one', () => {
    expect(metricsAuthorized({}, undefined)).toBe(true);
    expect(metricsAuthorized({}, TOKEN)).toBe(false);
    expect(metricsAuthorized({ authorization: `Bearer ${TOKEN}` }, TOKEN)).toBe(true);
    expect(metricsAuthorized({ authorization: `bearer ${TOKEN}` }, TOKEN)).toBe(true);
    expect(metricsAuthorized({ authorization: `Bearer ${TOKEN.slice(1)}` }, TOKEN)).toBe(false);
    expect(metricsAuthorized({ authorization: TOKEN }, TOKEN)).toBe(false);
    expect(metricsAuthorized({ authorization: 'Bearer ' }, TOKEN)).toBe(false);
  });
});

describe('job runs', () => {
  it('are counted by job kind: ok, failed (will retry), dead (failed for good)', async () => {
    const db = await freshDatabase();
    try {
      const prometheus = createPrometheusMetrics({ defaults: false });
      const clock = new TestClock();
      let fail = 0;
      const runner = createJobRunner({
        store: createJobStore(ambientTransactions(db.prisma).prisma),
        clock,
        logger: silentLogger,
        timeZone: 'Asia/Ho_Chi_Minh',
        maxAttempts: 2,
        backoffMs: () => 0,
        metrics: prometheus.metrics,
        jobs: [
          defineJob({
            kind: 'metricsProbe',
            payload: z.object({ fail: z.boolean() }),
            run: async ({ fail: shouldFail }) => {
              if (shouldFail) {
                fail++;
                throw new Error('probe failed');
              }
            },
          }),
        ],
      });
      await runner.schedule('metricsProbe', { fail: false }, clock.now());
      await runner.schedule('metricsProbe', { fail: true }, clock.now());
      await runner.start({ poll: false });
      for (let i = 0; i < 4; i++) await runner.runDue();
      await runner.stop();
      expect(fail).toBe(2);
      const text = await prometheus.scrape();
      expect(sample(text, 'hoivien_job_runs_total{job="metricsProbe",outcome="ok"}')).toBe(1);
      expect(sample(text, 'hoivien_job_runs_total{job="metricsProbe",outcome="failed"}')).toBe(1);
      expect(sample(text, 'hoivien_job_runs_total{job="metricsProbe",outcome="dead"}')).toBe(1);
    } finally {
      await db.close();
    }
  });
});

describeEachProvider('database errors', (provider) => {
  it('a failed unit is counted by kind; a domain error or a conflict the gateway retries is not', async () => {
    const db = await freshDatabase(provider);
    try {
      const prometheus = createPrometheusMetrics({ defaults: false });
      const { prisma, transactor } = ambientTransactions(db.prisma, silentLogger, prometheus.metrics);
      const unique = { channel: 'telegram', messageId: 'twice' };
      await prisma.processedInbound.create({ data: unique });
      // A unique violation that escapes a turn: a database error ('constraint').
      await expect(transactor.run(() => prisma.processedInbound.create({ data: unique }))).rejects.toThrow();
      // What the core throws inside a turn is not.
      await expect(transactor.run(() => Promise.reject(new ConversationConflictError()))).rejects.toThrow();
      await expect(transactor.run(() => Promise.reject(new Error('a rule of the flow')))).rejects.toThrow();
      const text = await prometheus.scrape();
      expect(sample(text, 'hoivien_database_errors_total{kind="constraint"}')).toBe(1);
      expect(text.match(/^hoivien_database_errors_total\{/gm)).toHaveLength(1);
    } finally {
      await db.close();
    }
  });
});
