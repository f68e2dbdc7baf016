import { defineConfig } from 'drizzle-kit';

// Generation only needs the schema; migrations are applied by the app at start-up
// (src/lib/server/db/migrate.ts), never by drizzle-kit against a live data folder.
export default defineConfig({
	schema: './src/lib/server/db/schema/index.ts',
	out: './drizzle',
	dialect: 'postgresql'
});
