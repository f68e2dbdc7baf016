import { z } from 'zod';
import { checkbox, trimmed } from '$lib/validation';

export const announcementSchema = z.object({
	title: trimmed('Title', 200),
	body: trimmed('Text', 20_000),
	pinned: checkbox
});

export const announcementIdSchema = z.object({ id: z.string().min(1) });
