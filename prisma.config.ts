// Prisma CLI configuration. The app itself never reads this: it opens the database through a driver adapter
// (src/data/database.ts) and applies migrations with Prisma's WebAssembly schema engine (src/data/migrations.ts).
// Like the app, it picks the provider from DATABASE_URL: SQLite (prisma/schema.prisma, prisma/migrations) or
// PostgreSQL (prisma/postgresql/schema.prisma, generated from the former, and prisma/postgresql/migrations), so that
// the native `prisma migrate deploy|status` can take over where its engine binary is available.
import { defineConfig } from 'prisma/config';

const url = process.env.DATABASE_URL ?? 'file:./data/bot.db';
const folder = /^postgres(ql)?:\/\//.test(url) ? 'prisma/postgresql' : 'prisma';

export default defineConfig({
  schema: `${folder}/schema.prisma`,
  migrations: { path: `${folder}/migrations` },
  datasource: { url },
});
