import path from 'node:path';

/** Everything the server reads from its environment, in one place (see README). */
export function serverConfig(env: NodeJS.ProcessEnv = process.env) {
	const demo = (env.PODIUM_DEMO ?? 'auto').toLowerCase();
	if (!['auto', 'on', 'off'].includes(demo)) {
		throw new Error(`PODIUM_DEMO must be auto, on or off (got "${env.PODIUM_DEMO}").`);
	}
	return {
		databaseUrl: env.DATABASE_URL || undefined,
		dataDir: path.resolve(env.PODIUM_DATA_DIR ?? 'data'),
		demo: demo as 'auto' | 'on' | 'off'
	};
}
