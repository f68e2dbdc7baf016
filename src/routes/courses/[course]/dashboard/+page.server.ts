import { requireUser } from '$lib/server/auth/guards';
import { courseDashboard } from '$lib/server/grades/dashboard';
import { sortRows, type SortDirection } from '$lib/grades/dashboard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, params }) => {
	const user = requireUser(locals, url);
	const dashboard = await courseDashboard(user, params.course);
	const keys = ['name', 'percent', ...dashboard.lectures.map((l) => l.id)];
	const sort = keys.find((k) => k === url.searchParams.get('sort')) ?? 'name';
	const dir: SortDirection = url.searchParams.get('dir') === 'desc' ? 'desc' : 'asc';
	return { ...dashboard, rows: sortRows(dashboard.rows, sort, dir), sort, dir };
};
