// Prisma CLI configuration. The app itself never reads this: it opens the database through a driver adapter
// (src/data/database.ts) and applies migrations with Prisma's WebAssembly schema engine (src/data/migrations.ts).
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'file:./data/bot.db' },
});
