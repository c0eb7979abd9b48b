import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` writes SQLite migrations into drizzle/sqlite. Never edit them by hand.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/storage/sqlite/schema.ts',
  out: './drizzle/sqlite',
});
