import type { ThreadView } from './views';

/**
 * The paper page's threads: what the page loaded, kept current by live events. Each event
 * names a thread; the page fetches it (the server decides what this member may see) and
 * replaces, adds or drops it. A reload of the page's data starts over from that data.
 */
class LiveThreads {
	#initial: () => ThreadView[];
	threads = $derived.by(() => this.#initial());

	constructor(initial: () => ThreadView[]) {
		this.#initial = initial;
	}

	upsert(thread: ThreadView) {
		const others = this.threads.filter((t) => t.id !== thread.id);
		this.threads = [...others, thread];
	}

	drop(id: string) {
		this.threads = this.threads.filter((t) => t.id !== id);
	}

	/** Listens on `eventsUrl` until the returned function is called. */
	connect(eventsUrl: string, threadUrl: (id: string) => string): () => void {
		const source = new EventSource(eventsUrl);
		source.addEventListener('thread', async (event) => {
			const { id } = JSON.parse((event as MessageEvent<string>).data) as { id: string };
			const response = await fetch(threadUrl(id), { headers: { accept: 'application/json' } });
			if (response.ok) this.upsert((await response.json()) as ThreadView);
			else if (response.status === 404) this.drop(id);
		});
		return () => source.close();
	}
}

export function followThreads(initial: () => ThreadView[]): LiveThreads {
	return new LiveThreads(initial);
}
