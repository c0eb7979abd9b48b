import { defineConfig } from 'drizzle-kit';

// `npm run db:generate:pg` writes PostgreSQL migrations into drizzle/postgres. Never edit them by hand.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/storage/postgres/schema.ts',
  out: './drizzle/postgres',
});
