import { deckImagesUrl, imageMarkdown, imageSizeProblem } from '$lib/decks/image-files';

/** What the server answers for an image it stored. */
export interface AddedImage {
	sha256: string;
	url: string;
	width: number;
	height: number;
}

/**
 * Sends images to the deck's image endpoint, one at a time, and says what is happening:
 * `status` while uploading, `error` for what was refused (the server checks every file;
 * files over the size limit are refused here without being sent).
 */
export class ImageUploads {
	status = $state('');
	error = $state('');
	readonly #endpoint: string;

	constructor(courseId: string, lectureId: string) {
		this.#endpoint = deckImagesUrl(courseId, lectureId);
	}

	/** Uploads the files in order; the Markdown of those stored, in the same order. */
	async addFiles(files: File[]): Promise<string[]> {
		this.error = '';
		const problems: string[] = [];
		const markdown: string[] = [];
		for (const file of files) {
			const added = await this.send(file, file.name, undefined, problems);
			if (added) markdown.push(imageMarkdown(file.name, added.url));
		}
		this.error = problems.join(' ');
		return markdown;
	}

	/** Renders a region annotation's figure and uploads it as the annotation's crop. */
	async addFigure(annotationId: string, render: () => Promise<Blob>): Promise<AddedImage | null> {
		this.error = '';
		this.status = 'Rendering the figure…';
		let image: Blob;
		try {
			image = await render();
		} catch {
			this.status = '';
			this.error = 'The figure could not be rendered from the paper; try again.';
			return null;
		}
		return this.send(image, image.type === 'image/png' ? 'figure.png' : 'figure.jpg', annotationId);
	}

	/** Uploads one image (a figure crop names its annotation); null when refused. */
	async send(
		image: Blob,
		name: string,
		annotationId?: string,
		problems: string[] = []
	): Promise<AddedImage | null> {
		const tooLarge = imageSizeProblem(image.size);
		if (tooLarge) {
			this.#refused(problems, name, tooLarge);
			return null;
		}
		this.status = `Uploading ${name}…`;
		const body = new FormData();
		body.set('file', image, name);
		if (annotationId) body.set('annotationId', annotationId);
		try {
			const response = await fetch(this.#endpoint, {
				method: 'POST',
				body,
				headers: { accept: 'application/json' }
			});
			const answer = await response.json().catch(() => ({}));
			if (response.ok) return answer as AddedImage;
			this.#refused(problems, name, answer.message ?? `The upload failed (${response.status}).`);
		} catch {
			this.#refused(problems, name, 'The upload failed; check your connection and try again.');
		} finally {
			this.status = '';
		}
		return null;
	}

	#refused(problems: string[], name: string, message: string) {
		problems.push(`${name}: ${message}`);
		this.error = problems.join(' ');
	}
}
