import { subscribe, type LiveEvent } from './bus';

const open = new Set<() => void>();
let closingHooked = false;

// An open event stream keeps its connection alive forever; on SIGTERM the server would
// wait for them before exiting. End them all as soon as shutdown starts.
function hookShutdown() {
	if (closingHooked) return;
	closingHooked = true;
	for (const signal of ['SIGTERM', 'SIGINT'] as const) {
		process.once(signal, () => {
			for (const close of [...open]) close();
		});
	}
}

const KEEP_ALIVE_MS = 25_000;

/**
 * A Server-Sent Events response that forwards the channel's events for which `allow`
 * says yes, as `event: <type>` with `{ id, data }` as data (`data` only when the event has
 * it). Ends when the client goes away.
 */
export function eventStream(
	channel: string,
	allow: (event: LiveEvent) => boolean,
	signal: AbortSignal
): Response {
	hookShutdown();
	const encoder = new TextEncoder();
	let cleanup = () => {};
	const body = new ReadableStream<Uint8Array>({
		start(controller) {
			const send = (text: string) => {
				try {
					controller.enqueue(encoder.encode(text));
				} catch {
					cleanup();
				}
			};
			const unsubscribe = subscribe(channel, (event) => {
				if (allow(event))
					send(
						`event: ${event.type}\ndata: ${JSON.stringify({ id: event.id, data: event.data })}\n\n`
					);
			});
			const timer = setInterval(() => send(': keep-alive\n\n'), KEEP_ALIVE_MS);
			cleanup = () => {
				clearInterval(timer);
				unsubscribe();
				open.delete(cleanup);
				try {
					controller.close();
				} catch {
					// already closed
				}
			};
			open.add(cleanup);
			signal.addEventListener('abort', cleanup, { once: true });
			send('retry: 3000\n: connected\n\n');
		},
		cancel() {
			cleanup();
		}
	});
	return new Response(body, {
		headers: {
			'content-type': 'text/event-stream; charset=utf-8',
			'cache-control': 'no-store',
			'x-accel-buffering': 'no'
		}
	});
}
