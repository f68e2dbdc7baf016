import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	optimizeDeps: { exclude: ['@electric-sql/pglite'] },
	test: {
		expect: { requireAssertions: true },
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					environment: 'node',
					// Projects run one after the other: the browser tests need the cores to themselves.
					sequence: { groupOrder: 0 },
					include: ['tests/unit/**/*.test.ts', 'src/**/*.test.ts']
				}
			},
			{
				extends: true,
				test: {
					name: 'db',
					environment: 'node',
					sequence: { groupOrder: 1 },
					include: ['tests/integration/**/*.test.ts'],
					globalSetup: ['tests/integration/global-setup.ts'],
					setupFiles: ['tests/integration/setup.ts'],
					hookTimeout: 60_000,
					testTimeout: 30_000
				}
			},
			{
				extends: true,
				test: {
					name: 'e2e',
					environment: 'node',
					sequence: { groupOrder: 2 },
					include: ['tests/e2e/**/*.test.ts'],
					globalSetup: ['tests/e2e/global-setup.ts'],
					hookTimeout: 120_000,
					testTimeout: 60_000,
					// Each file starts its own server and browser; two at a time suit 2 cores.
					maxWorkers: 2,
					fileParallelism: true
				}
			}
		]
	}
});
