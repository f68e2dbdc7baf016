import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

export interface FolderLock {
	release(): void;
}

export class FolderLockedError extends Error {}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/**
 * Claims `dir` for this process with a lock file holding its pid. A lock left by a
 * process that no longer runs (a crash, kill -9) is taken over.
 */
export function acquireFolderLock(dir: string): FolderLock {
	const file = path.join(dir, 'podium.lock');
	for (let attempt = 0; attempt < 2; attempt++) {
		try {
			const fd = openSync(file, 'wx');
			writeSync(fd, String(process.pid));
			closeSync(fd);
			return { release: () => rmSync(file, { force: true }) };
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
			const pid = Number(readFileSync(file, 'utf8').trim());
			if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
				throw new FolderLockedError(
					`The data folder ${dir} is in use by another Podium process (pid ${pid}). ` +
						'Stop that process first, or set PODIUM_DATA_DIR to another folder.'
				);
			}
			rmSync(file, { force: true });
		}
	}
	throw new FolderLockedError(`Could not lock the data folder ${dir}.`);
}
