// Ambient transactions for the repositories. Every repository is built on one PrismaClient; here that client is a
// proxy which, inside Transactor.run, forwards each call to the interactive transaction's client (kept in
// AsyncLocalStorage), and outside any transaction to the real client. So a turn's work — through whichever
// repositories the engine and the features call — is one transaction without a repository knowing about it: the
// unit-of-work pattern with an ambient (context-carried) transaction. Nested runs join the outer one.
// On SQLite the driver adapter has ONE connection per client and serialises only transactions: a plain statement
// issued while a unit is open would run on that connection inside the unit — rolled back with it, or committed only
// when it ends (a job claim, an outbox update, a stored webhook event depending on someone else's turn). So on SQLite
// every statement outside a unit (model calls, raw queries, `$transaction`) waits in the file's queue behind the open
// unit like any other writer (`oneWriterAtATime`), and runs when no transaction is open on the connection: a single
// statement on its own (SQLite's autocommit makes it atomic; a model call Prisma runs as several statements gets
// Prisma's own transaction), `$transaction` as a transaction. PostgreSQL has a pool: a statement outside a unit runs
// on a connection of its own, untouched.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger, Metrics, Transactor } from '../conversation/ports.ts';
import { loggableError } from '../conversation/ports.ts';
import { sqliteFileOf, type PrismaClient } from './database.ts';
import { databaseErrorKind } from './databaseErrors.ts';

/** Codes a repository handles itself when a single statement fails (P2002 "already there", P2025 "not found"). */
const HANDLED_BY_CALLER = ['P2002', 'P2025'];

/**
 * How long one transaction may take (Prisma's interactive-transaction timeout, ms). A turn does only database work
 * (downloads and sends happen outside), so this is a safety net, not a budget.
 */
const TRANSACTION_TIMEOUT_MS = 15_000;
/** How long a transaction may wait to start (SQLite serialises writers; a burst of turns queues here), ms. */
const TRANSACTION_MAX_WAIT_MS = 15_000;
const TRANSACTION_OPTIONS = { timeout: TRANSACTION_TIMEOUT_MS, maxWait: TRANSACTION_MAX_WAIT_MS };

interface Unit {
  client: PrismaClient;
  afterCommit: (() => void | Promise<void>)[];
}

export interface AmbientDatabase {
  /** Give this to every repository: it is the transaction's client inside Transactor.run, the real one outside. */
  prisma: PrismaClient;
  transactor: Transactor;
}

/**
 * Wraps a client for ambient transactions. `logger` reports failures of after-commit work (never their data);
 * `metrics` counts database failures by kind: a unit of work that failed on a database error, and on SQLite a
 * statement outside any unit (on PostgreSQL such a statement is not counted here: its caller logs it).
 */
export function ambientTransactions(
  root: PrismaClient,
  logger?: Logger,
  metrics?: Pick<Metrics, 'databaseError'>,
): AmbientDatabase {
  const storage = new AsyncLocalStorage<Unit>();
  const sqliteFile = sqliteFileOf(root);
  const counted = (expected: readonly string[]) => (error: unknown) => {
    const kind = databaseErrorKind(error, expected);
    if (kind !== undefined) metrics?.databaseError(kind);
    throw error;
  };

  const prisma = new Proxy(root, {
    get(target, property) {
      const unit = storage.getStore();
      if (!unit) {
        const value = Reflect.get(target, property) as unknown;
        return sqliteFile === undefined
          ? value
          : queuedOnSqlite(root, sqliteFile, property, value, counted(HANDLED_BY_CALLER));
      }
      if (property === '$transaction') return joinTransaction(unit.client);
      const value = Reflect.get(unit.client, property) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(unit.client) : value;
    },
  });

  const runAfterCommit = (work: () => void | Promise<void>) => {
    void Promise.resolve()
      .then(work)
      .catch((error: unknown) => logger?.error({ err: loggableError(error) }, 'after-commit work failed'));
  };

  const transactor: Transactor = {
    async run(work) {
      if (storage.getStore()) return work();
      const unit: Unit = { client: root, afterCommit: [] };
      const result = await oneWriterAtATime(sqliteFile, () =>
        root.$transaction((tx) => {
          unit.client = tx as PrismaClient;
          return storage.run(unit, work);
        }, TRANSACTION_OPTIONS),
      ).catch(counted([]));
      for (const after of unit.afterCommit) runAfterCommit(after);
      return result;
    },
    inUnit: () => storage.getStore() !== undefined,
    afterCommit(work) {
      const unit = storage.getStore();
      if (unit) unit.afterCommit.push(work);
      else runAfterCommit(work);
    },
  };
  return { prisma, transactor };
}

/**
 * `$transaction` called by a repository while a unit is running: the unit is already the transaction, so the
 * function form runs on it and the array form runs its queries in order on it.
 */
function joinTransaction(client: PrismaClient) {
  return async (arg: unknown): Promise<unknown> => {
    if (typeof arg === 'function') return (arg as (tx: PrismaClient) => Promise<unknown>)(client);
    const results: unknown[] = [];
    for (const query of arg as Promise<unknown>[]) results.push(await query);
    return results;
  };
}

/** The raw-query methods of a client: each call is one statement. */
const RAW_METHODS = new Set<PropertyKey>(['$executeRaw', '$queryRaw', '$executeRawUnsafe', '$queryRawUnsafe']);

/**
 * A statement made outside a unit on SQLite, not yet run. Like Prisma's own promises it starts when awaited (`then`),
 * as a transaction of its own in the file's queue; `$transaction([...])` runs several of them in one.
 */
class QueuedStatement<T> implements PromiseLike<T> {
  private started: Promise<T> | undefined;
  constructor(
    private readonly root: PrismaClient,
    private readonly file: string,
    readonly runOn: (client: PrismaClient) => Promise<T>,
    private readonly onError: (error: unknown) => never,
  ) {}
  private start(): Promise<T> {
    // On the root client once its turn in the queue has come: no transaction of this process is open on the
    // connection then, so the statement cannot land in someone else's unit. Not wrapped in a transaction of its own:
    // that cost a BEGIN, a COMMIT and Prisma's interactive-transaction bookkeeping per statement (issue 15).
    this.started ??= oneWriterAtATime(this.file, () => this.runOn(this.root)).catch(this.onError);
    return this.started;
  }
  then<A = T, B = never>(
    onFulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.start().then(onFulfilled, onRejected);
  }
  catch<B = never>(onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<T | B> {
    return this.start().catch(onRejected);
  }
  finally(onFinally?: (() => void) | null): Promise<T> {
    return this.start().finally(onFinally);
  }
  get [Symbol.toStringTag]() {
    return 'QueuedStatement';
  }
}

/**
 * What the ambient client gives for `property` outside a unit on SQLite (see the file comment): model calls and raw
 * queries become QueuedStatements, `$transaction` a queued transaction; the rest (`$connect`, `$disconnect`...) as is.
 */
function queuedOnSqlite(
  root: PrismaClient,
  file: string,
  property: PropertyKey,
  value: unknown,
  onError: (error: unknown) => never,
): unknown {
  if (property === '$transaction') {
    return (arg: unknown, options?: object): Promise<unknown> => {
      if (typeof arg === 'function') {
        return oneWriterAtATime(file, () =>
          root.$transaction(arg as (tx: unknown) => Promise<unknown>, { ...TRANSACTION_OPTIONS, ...options }),
        ).catch(onError);
      }
      const statements = arg as unknown[];
      return oneWriterAtATime(file, () =>
        root.$transaction(async (tx) => {
          const results: unknown[] = [];
          for (const statement of statements) {
            if (!(statement instanceof QueuedStatement)) {
              throw new TypeError('$transaction([...]) takes statements made with the same ambient client');
            }
            results.push(await (statement as QueuedStatement<unknown>).runOn(tx as PrismaClient));
          }
          return results;
        }, TRANSACTION_OPTIONS),
      ).catch(onError);
    };
  }
  if (RAW_METHODS.has(property) && typeof value === 'function') {
    return (...args: unknown[]) =>
      new QueuedStatement(
        root,
        file,
        (client) => (Reflect.get(client, property) as (...a: unknown[]) => Promise<unknown>).apply(client, args),
        onError,
      );
  }
  if (typeof property === 'string' && !property.startsWith('$') && typeof value === 'object' && value !== null) {
    // A model delegate (prisma.member...): each of its methods is one statement.
    return new Proxy(value, {
      get(delegate, method) {
        const member = Reflect.get(delegate, method) as unknown;
        if (typeof member !== 'function') return member;
        return (...args: unknown[]) =>
          new QueuedStatement(
            root,
            file,
            (client) => {
              const model = Reflect.get(client, property) as Record<PropertyKey, (...a: unknown[]) => Promise<unknown>>;
              return model[method]!(...args);
            },
            onError,
          );
      },
    });
  }
  return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(root) : value;
}

/** The tail of each SQLite file's queue of transactions in this process. */
const writerQueues = new Map<string, Promise<unknown>>();

/**
 * SQLite has one writer at a time. Between processes the busy timeout queues them; within one process they queue
 * here, in the event loop, because better-sqlite3's busy wait is synchronous and would stop the very transaction it
 * waits for from committing. PostgreSQL (no file) runs transactions side by side.
 */
async function oneWriterAtATime<T>(file: string | undefined, work: () => Promise<T>): Promise<T> {
  if (file === undefined) return work();
  const previous = writerQueues.get(file) ?? Promise.resolve();
  const current = previous.then(work, work);
  const tail = current.catch(() => undefined);
  writerQueues.set(file, tail);
  try {
    return await current;
  } finally {
    if (writerQueues.get(file) === tail) writerQueues.delete(file);
  }
}
