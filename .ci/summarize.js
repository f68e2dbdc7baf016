// Totals of the vitest JSON reports, and a refusal when the browser tests were skipped
// or missing: a green run without them proves nothing about what people do.
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
let e2ePassed = 0;
let e2eNotRun = 0;
let problem = '';

for (const file of process.argv.slice(2)) {
	if (!existsSync(file)) {
		problem += `\nci: ${file} is missing: that test run did not complete.`;
		continue;
	}
	const report = JSON.parse(readFileSync(file, 'utf8'));
	for (const suite of report.testResults ?? []) {
		const isE2e = suite.name.includes('/tests/e2e/');
		for (const test of suite.assertionResults ?? []) {
			if (test.status === 'passed') passed++;
			else if (test.status === 'failed') failed++;
			else skipped++;
			if (isE2e) {
				if (test.status === 'passed') e2ePassed++;
				else if (test.status !== 'failed') e2eNotRun++;
			}
		}
		if (suite.status === 'failed' && (suite.assertionResults ?? []).length === 0) {
			failed++;
			problem += `\nci: ${suite.name} failed before running its tests: ${suite.message ?? ''}`;
		}
	}
}

if (e2ePassed === 0) problem += '\nci: no browser test passed: the browser tests did not run.';
if (e2eNotRun > 0) problem += `\nci: ${e2eNotRun} browser test(s) were skipped.`;
if (problem) console.error(problem.trim());
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(problem || failed > 0 ? 1 : 0);
