import type { TalkPosition } from './schemas';

type Post = (position: TalkPosition) => Promise<void>;

/**
 * Sends the presenter's moves one at a time, in order, and only the newest of those made
 * while one is on its way: two requests racing could leave the class on an older slide.
 * `post` reports its own failures.
 */
export class PositionSender {
	#post: Post;
	#pending: TalkPosition | null = null;
	#busy = false;

	constructor(post: Post) {
		this.#post = post;
	}

	send(position: TalkPosition): Promise<void> {
		this.#pending = position;
		return this.#flush();
	}

	async #flush(): Promise<void> {
		if (this.#busy) return;
		this.#busy = true;
		try {
			while (this.#pending) {
				const next = this.#pending;
				this.#pending = null;
				// A failed move is not retried: the next one says where the presenter is.
				await this.#post(next).catch(() => {});
			}
		} finally {
			this.#busy = false;
		}
	}
}
