// Which kind of database failure an error is, for hoivien_database_errors_total (GET /metrics). A closed set of words;
// undefined for anything that is not a database failure (a domain error thrown inside a turn, a conversation conflict
// the gateway retries: a conflict retried is not an error).
import { Prisma } from '../generated/prisma/client.ts';

export type DatabaseErrorKind = 'busy' | 'timeout' | 'connection' | 'conflict' | 'constraint' | 'other';

/** Prisma codes by kind (https://www.prisma.io/docs/orm/reference/error-reference). */
const KIND_OF_CODE: Record<string, DatabaseErrorKind> = {
  P1001: 'connection', // can't reach the server
  P1002: 'connection', // reached, timed out
  P1017: 'connection', // server closed the connection
  P1008: 'timeout', // operation timed out
  P2024: 'timeout', // timed out fetching a connection from the pool
  P2028: 'timeout', // transaction API error (expired, could not start within maxWait)
  P2034: 'conflict', // write conflict or deadlock: retry the transaction
  P2002: 'constraint', // unique
  P2003: 'constraint', // foreign key
  P2011: 'constraint', // null
  P2025: 'constraint', // a record the operation needs was not found
};

/**
 * The kind of `error` (or of its `cause`, one level: repositories wrap some Prisma errors), or undefined when it is
 * not a database failure. `expected`: codes the caller handles itself (a unique violation that means "already
 * claimed"), not counted.
 */
export function databaseErrorKind(error: unknown, expected: readonly string[] = []): DatabaseErrorKind | undefined {
  for (const candidate of [error, error instanceof Error ? error.cause : undefined]) {
    if (candidate instanceof Prisma.PrismaClientKnownRequestError) {
      if (expected.includes(candidate.code)) return undefined;
      return KIND_OF_CODE[candidate.code] ?? (busy(candidate.message) ? 'busy' : 'other');
    }
    if (candidate instanceof Prisma.PrismaClientInitializationError) return 'connection';
    if (
      candidate instanceof Prisma.PrismaClientUnknownRequestError ||
      candidate instanceof Prisma.PrismaClientRustPanicError ||
      candidate instanceof Prisma.PrismaClientValidationError
    ) {
      return busy(candidate.message) ? 'busy' : 'other';
    }
    if (candidate instanceof Error && candidate.name === 'DriverAdapterError')
      return busy(candidate.message) ? 'busy' : 'other';
  }
  return undefined;
}

/** SQLite's "another writer holds the file" (another process; within one process writers queue in transactions.ts). */
function busy(message: string): boolean {
  return /SQLITE_BUSY|database is locked|SocketTimeout/i.test(message);
}
