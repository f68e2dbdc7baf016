import { count } from 'drizzle-orm';
import { openDatabase, useDatabase, type DatabaseHandle } from './db';
import { migrate } from './db/migrate';
import { users } from './db/schema';
import { serverConfig } from './config';
import { seedDemo, demoAccountsText } from './demo/seed';
import { startLiveBus, stopLiveBus } from './live/bus';
import { drained } from './inflight';
import { startDueReminders, stopDueReminders } from './critiques/due';
import { forgetOldSubmissions } from './forms';

let started: Promise<DatabaseHandle> | undefined;

/**
 * Opens the database, applies migrations and, on a new embedded database (or when
 * PODIUM_DEMO=on), creates the demo course. Runs once per process.
 */
export function startPodium(): Promise<DatabaseHandle> {
	started ??= (async () => {
		const config = serverConfig();
		const handle = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
		try {
			await migrate(handle, config.databaseUrl);
			useDatabase(handle);
			await startLiveBus(config.databaseUrl);
			const [{ n }] = await handle.db.select({ n: count() }).from(users);
			const wantDemo =
				config.demo === 'on' || (config.demo === 'auto' && handle.kind === 'embedded' && n === 0);
			if (wantDemo && n === 0) {
				await seedDemo(handle.db);
				console.log(demoAccountsText());
			} else if (config.demo === 'on') {
				console.log('PODIUM_DEMO=on: the database already has accounts, so no demo was added.');
			}
		} catch (error) {
			await handle.close();
			throw error;
		}
		const where =
			handle.kind === 'embedded' ? `embedded database in ${config.dataDir}` : 'PostgreSQL';
		console.log(`Podium is using the ${where}.`);
		startDueReminders();
		const forgetting = setInterval(
			() =>
				forgetOldSubmissions().catch((error) =>
					console.error('forgetting old form submissions failed', error)
				),
			60 * 60 * 1000
		);
		forgetting.unref();
		process.once('sveltekit:shutdown', async () => {
			stopDueReminders();
			clearInterval(forgetting);
			await drained(5000);
			await stopLiveBus();
			await handle.close();
		});
		return handle;
	})();
	return started;
}
