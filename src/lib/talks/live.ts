import type { LivePosition } from './talk';

export interface TalkListeners {
	/** The presenter moved: where to, with no fetch needed. */
	moved?: (position: LivePosition) => void;
	/** A question was asked, upvoted or answered, or the talk started or ended. */
	changed: () => void;
}

/** Listens to a talk's event stream until the returned function is called. */
export function followTalk(eventsUrl: string, on: TalkListeners): () => void {
	const source = new EventSource(eventsUrl);
	source.addEventListener('moved', (event) => {
		const { data } = JSON.parse((event as MessageEvent<string>).data) as { data: LivePosition };
		on.moved?.(data);
	});
	for (const type of ['question', 'started', 'ended']) source.addEventListener(type, on.changed);
	return () => source.close();
}
