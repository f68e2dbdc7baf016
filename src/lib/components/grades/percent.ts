/** A percentage as the grade pages show it; a dash where nothing is graded yet. */
export const percent = (p: number | null) => (p === null ? '–' : `${p.toFixed(1)} %`);
