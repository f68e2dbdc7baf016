/**
 * Which mini-project marks count: the best `n` of `m`, a missing report counting as zero
 * before the best are chosen (so fewer than `n` reports still averages over `n`).
 */
export function bestOf(marks: (number | null)[], n: number, m: number): number[] {
	const padded = marks.slice(0, m).map((x) => x ?? 0);
	while (padded.length < m) padded.push(0);
	return padded.sort((a, b) => b - a).slice(0, n);
}
