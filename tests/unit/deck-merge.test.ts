import { describe, expect, it } from 'vitest';
import {
	MergeError,
	lineDiff,
	mergeDeck,
	normalizeEol,
	resolveConflicts,
	type MergeResult
} from '$lib/decks/merge';

const deck = (...slides: string[]) => slides.join('\n\n---\n\n') + '\n';

const BASE = deck(
	'# Memory footprint\n\nSlides by the pair',
	'## Gradient checkpointing\n\n- recompute activations\n\nNote: mention the sqrt(n) trick',
	'## Mixed precision\n\n- fp16 weights\n- fp32 master copy',
	'## Questions?'
);

function conflicted(result: MergeResult) {
	if (result.clean) throw new Error('expected conflicts, got a clean merge');
	return result;
}

describe('mergeDeck: clean merges', () => {
	it('combines edits to different slides', () => {
		const mine = BASE.replace('- recompute activations', '- recompute activations in backward');
		const theirs = BASE.replace('- fp16 weights', '- bf16 weights');
		expect(mergeDeck(BASE, mine, theirs)).toEqual({
			clean: true,
			merged: BASE.replace(
				'- recompute activations',
				'- recompute activations in backward'
			).replace('- fp16 weights', '- bf16 weights')
		});
	});

	it('adds a slide at the end while the other side fixes a typo at the top', () => {
		const mine = BASE + '\n---\n\n## Backup slide\n';
		const theirs = BASE.replace('Slides by the pair', 'Slides by the pair (v2)');
		const result = mergeDeck(BASE, mine, theirs);
		expect(result).toEqual({
			clean: true,
			merged:
				BASE.replace('Slides by the pair', 'Slides by the pair (v2)') + '\n---\n\n## Backup slide\n'
		});
		// The same holds with the sides the other way round.
		expect(mergeDeck(BASE, theirs, mine)).toEqual(result);
	});

	it('keeps additions at both ends', () => {
		const mine = '<!-- .slide: data-background="#fff" -->\n' + BASE;
		const theirs = BASE + '\n---\n\n## References\n';
		expect(mergeDeck(BASE, mine, theirs)).toEqual({
			clean: true,
			merged: '<!-- .slide: data-background="#fff" -->\n' + BASE + '\n---\n\n## References\n'
		});
	});

	it('takes an identical change on both sides once', () => {
		const edited = BASE.replace('## Questions?', '## Questions and discussion');
		expect(mergeDeck(BASE, edited, edited)).toEqual({ clean: true, merged: edited });
	});

	it('takes an identical change once even beside a change only one side made', () => {
		const both = BASE.replace('## Questions?', '## Discussion');
		const mine = both.replace('# Memory footprint', '# Reducing memory footprint');
		expect(mergeDeck(BASE, mine, both)).toEqual({ clean: true, merged: mine });
	});

	it('returns one side when the other is unchanged', () => {
		const mine = BASE.replace('fp32', 'FP32');
		expect(mergeDeck(BASE, mine, BASE)).toEqual({ clean: true, merged: mine });
		expect(mergeDeck(BASE, BASE, mine)).toEqual({ clean: true, merged: mine });
	});

	it('merges a deletion of one slide with an edit to another', () => {
		const mine = BASE.replace(
			'## Mixed precision\n\n- fp16 weights\n- fp32 master copy\n\n---\n\n',
			''
		);
		const theirs = BASE.replace('# Memory footprint', '# Memory');
		expect(mergeDeck(BASE, mine, theirs)).toEqual({
			clean: true,
			merged: mine.replace('# Memory footprint', '# Memory')
		});
	});
});

describe('mergeDeck: conflicts', () => {
	const mine = BASE.replace('- fp16 weights', '- fp16 weights and activations');
	const theirs = BASE.replace('- fp16 weights', '- bf16 weights');

	it('keeps both versions of a line changed differently, and the base', () => {
		const result = conflicted(mergeDeck(BASE, mine, theirs));
		expect(result.conflicts).toHaveLength(1);
		const [conflict] = result.conflicts;
		expect(conflict).toMatchObject({
			mine: '- fp16 weights and activations\n',
			theirs: '- bf16 weights\n',
			base: '- fp16 weights\n'
		});
		const lines = result.merged.split('\n');
		expect(lines.slice(conflict.line - 1, conflict.line + 6)).toEqual([
			'<<<<<<< mine',
			'- fp16 weights and activations',
			'||||||| base',
			'- fp16 weights',
			'=======',
			'- bf16 weights',
			'>>>>>>> theirs'
		]);
		// Everything outside the conflict is merged as usual.
		expect(lines.slice(0, conflict.line - 1).join('\n')).toBe(
			BASE.slice(0, BASE.indexOf('- fp16 weights') - 1)
		);
		expect(result.merged.endsWith('- fp32 master copy\n\n---\n\n## Questions?\n')).toBe(true);
	});

	it('merges the clean parts and reports each conflict at its marker line', () => {
		const mine2 = mine
			.replace('# Memory footprint', '# Memory footprint, part 1')
			.replace('## Questions?', '## Questions');
		const theirs2 = theirs
			.replace('Note: mention the sqrt(n) trick', 'Note: mention sqrt(n) checkpoints')
			.replace('## Questions?', '## Any questions?');
		const result = conflicted(mergeDeck(BASE, mine2, theirs2));
		expect(result.conflicts.map((c) => [c.mine, c.theirs])).toEqual([
			['- fp16 weights and activations\n', '- bf16 weights\n'],
			['## Questions\n', '## Any questions?\n']
		]);
		const lines = result.merged.split('\n');
		for (const c of result.conflicts) expect(lines[c.line - 1]).toBe('<<<<<<< mine');
		expect(result.merged).toContain('# Memory footprint, part 1\n');
		expect(result.merged).toContain('Note: mention sqrt(n) checkpoints\n');
	});

	it('treats a deletion against an edit of the same slide as a conflict, keeping the edit', () => {
		const mineDel = BASE.replace('\n---\n\n## Questions?\n', '\n');
		const theirsEdit = BASE.replace('## Questions?', '## Questions?\n\nThank you!');
		const result = conflicted(mergeDeck(BASE, mineDel, theirsEdit));
		expect(result.merged).toContain('Thank you!');
		expect(result.conflicts[0].theirs).toContain('Thank you!');
	});

	it('puts presenters’ names on the markers when given', () => {
		const result = conflicted(
			mergeDeck(BASE, mine, theirs, { labels: { mine: 'Ada', theirs: 'Grace\nHopper' } })
		);
		expect(result.merged).toContain('<<<<<<< Ada\n');
		expect(result.merged).toContain('>>>>>>> Grace Hopper\n');
		expect(resolveConflicts(result, ['theirs'])).toBe(theirs);
	});

	it('moves lines both sides added alike out of the conflict', () => {
		const base = 'a\nb\n';
		const result = conflicted(mergeDeck(base, 'a\nX\nshared\nb\n', 'a\nY\nshared\nb\n'));
		expect(result.conflicts).toEqual([{ mine: 'X\n', theirs: 'Y\n', base: '', line: 2 }]);
		expect(result.merged).toBe(
			'a\n<<<<<<< mine\nX\n||||||| base\n=======\nY\n>>>>>>> theirs\nshared\nb\n'
		);
	});
});

describe('resolveConflicts', () => {
	const mine = BASE.replace('- fp16 weights', '- fp16 weights and activations').replace(
		'## Questions?',
		'## Questions'
	);
	const theirs = BASE.replace('- fp16 weights', '- bf16 weights').replace(
		'## Questions?',
		'## Any questions?'
	);
	const result = conflicted(mergeDeck(BASE, mine, theirs));

	it('gives back mine or theirs when every conflict is settled the same way', () => {
		expect(result.conflicts).toHaveLength(2);
		expect(resolveConflicts(result, ['mine', 'mine'])).toBe(mine);
		expect(resolveConflicts(result, ['theirs', 'theirs'])).toBe(theirs);
	});

	it('settles each conflict on its own', () => {
		expect(resolveConflicts(result, ['theirs', 'mine'])).toBe(
			BASE.replace('- fp16 weights', '- bf16 weights').replace('## Questions?', '## Questions')
		);
	});

	it('keeps both, mine first', () => {
		expect(resolveConflicts(result, ['both', 'mine'])).toBe(
			BASE.replace('- fp16 weights', '- fp16 weights and activations\n- bf16 weights').replace(
				'## Questions?',
				'## Questions'
			)
		);
	});

	it('takes the person’s own text, with any line ends, and an empty text removes the passage', () => {
		expect(
			resolveConflicts(result, [{ custom: '- bf16 weights\r\n- and activations' }, { custom: '' }])
		).toBe(
			BASE.replace('- fp16 weights', '- bf16 weights\n- and activations').replace(
				'\n## Questions?\n',
				'\n'
			)
		);
	});

	it('returns a clean merge as it is', () => {
		const clean = mergeDeck(BASE, BASE, BASE);
		expect(resolveConflicts(clean, [])).toBe(BASE);
		expect(() => resolveConflicts(clean, ['mine'])).toThrow(MergeError);
	});

	it('refuses a wrong number of choices', () => {
		expect(() => resolveConflicts(result, ['mine'])).toThrow(/2 choice/);
		expect(() => resolveConflicts(result, ['mine', 'mine', 'mine'])).toThrow(MergeError);
	});

	it('refuses a merged text that no longer matches its conflicts', () => {
		const edited = { ...result, merged: 'new first line\n' + result.merged };
		expect(() => resolveConflicts(edited, ['mine', 'mine'])).toThrow(/not at line/);
		const trimmed = { ...result, merged: result.merged.replace('- bf16 weights\n', '') };
		expect(() => resolveConflicts(trimmed, ['mine', 'mine'])).toThrow(MergeError);
	});

	it('refuses a choice that is none of the four', () => {
		expect(() => resolveConflicts(result, ['mine', 'yours' as unknown as 'mine'])).toThrow(
			/Choice 2/
		);
	});

	it('is not confused by Markdown that looks like conflict markers', () => {
		// "=======" under a line is a Markdown heading; a slide about git may show markers.
		const base = 'Title\n=====\n\nbody\n';
		const m = 'Title\n=======\n\nbody\n';
		const t = 'Title\n>>>>>>> theirs\n<<<<<<< mine\n\nbody\n';
		const r = conflicted(mergeDeck(base, m, t));
		expect(resolveConflicts(r, ['mine'])).toBe(m);
		expect(resolveConflicts(r, ['theirs'])).toBe(t);
	});
});

describe('mergeDeck: line ends', () => {
	it('reads CRLF like LF and answers in LF', () => {
		const mine = BASE.replace('## Questions?', '## Questions!').replace(/\n/g, '\r\n');
		const theirs = BASE.replace('# Memory footprint', '# Memory');
		expect(mergeDeck(BASE, mine, theirs)).toEqual({
			clean: true,
			merged: BASE.replace('## Questions?', '## Questions!').replace(
				'# Memory footprint',
				'# Memory'
			)
		});
		const allCrlf = mergeDeck(BASE.replace(/\n/g, '\r\n'), mine, theirs.replace(/\n/g, '\r\n'));
		expect(allCrlf.merged).not.toContain('\r');
		expect(allCrlf.clean).toBe(true);
	});

	it('keeps CRLF out of conflicts and treats a lone CR as a line end', () => {
		const r = conflicted(mergeDeck('a\r\nb\r\n', 'a\r\nB1\r\n', 'a\rB2\r'));
		expect(r.conflicts).toEqual([{ mine: 'B1\n', theirs: 'B2\n', base: 'b\n', line: 2 }]);
		expect(r.merged).not.toContain('\r');
	});

	it('merges the final newline on its own', () => {
		// Only mine drops the final newline; theirs edits a line.
		expect(mergeDeck('a\nb\n', 'a\nb', 'a\nB\n')).toEqual({ clean: true, merged: 'a\nB' });
		// Only theirs adds it; mine appends a line.
		expect(mergeDeck('a\nb', 'a\nb\nc', 'a\nb\n')).toEqual({ clean: true, merged: 'a\nb\nc\n' });
		// A missing final newline alone is no conflict.
		expect(mergeDeck('a\n', 'a', 'a\n')).toEqual({ clean: true, merged: 'a' });
	});

	it('normalizeEol turns CRLF and CR into LF', () => {
		expect(normalizeEol('a\r\nb\rc\n')).toBe('a\nb\nc\n');
	});
});

describe('mergeDeck: empty base', () => {
	it('takes the same first draft once', () => {
		expect(mergeDeck('', BASE, BASE)).toEqual({ clean: true, merged: BASE });
	});

	it('takes the only side that wrote something', () => {
		expect(mergeDeck('', BASE, '')).toEqual({ clean: true, merged: BASE });
		expect(mergeDeck('', '', BASE)).toEqual({ clean: true, merged: BASE });
		expect(mergeDeck('', '', '')).toEqual({ clean: true, merged: '' });
	});

	it('keeps two different first drafts as a conflict, sharing their common lines', () => {
		const mine = '# Title\n\nmine\n';
		const theirs = '# Title\n\ntheirs\n';
		const r = conflicted(mergeDeck('', mine, theirs));
		expect(r.conflicts).toEqual([{ mine: 'mine\n', theirs: 'theirs\n', base: '', line: 3 }]);
		expect(resolveConflicts(r, ['mine'])).toBe(mine);
		expect(resolveConflicts(r, ['both'])).toBe('# Title\n\nmine\ntheirs\n');
	});

	it('keeps one side’s deletion of everything against the other’s edit as a conflict', () => {
		const r = conflicted(mergeDeck('a\nb\n', '', 'a\nB\n'));
		expect(r.merged).toContain('B');
		expect(resolveConflicts(r, ['mine'])).toBe('');
		expect(resolveConflicts(r, ['theirs'])).toBe('a\nB\n');
	});
});

describe('mergeDeck: large decks', () => {
	const big = Array.from({ length: 1500 }, (_, i) => `line ${i}`);
	const text = (lines: string[]) => lines.join('\n') + '\n';

	it('merges small edits far apart in a long deck', () => {
		const mine = [...big];
		mine[10] = 'mine';
		const theirs = [...big];
		theirs[1400] = 'theirs';
		const merged = [...big];
		merged[10] = 'mine';
		merged[1400] = 'theirs';
		expect(mergeDeck(text(big), text(mine), text(theirs))).toEqual({
			clean: true,
			merged: text(merged)
		});
	});

	it('keeps a wholesale rewrite against an edit as one conflict holding both', () => {
		const rewritten = big.map((line) => line.toUpperCase());
		const theirs = [...big];
		theirs[700] = 'their fix';
		const r = conflicted(mergeDeck(text(big), text(rewritten), text(theirs)));
		expect(r.conflicts).toHaveLength(1);
		expect(r.conflicts[0].mine).toBe(text(rewritten));
		expect(r.conflicts[0].theirs).toBe(text(theirs));
		expect(resolveConflicts(r, ['mine'])).toBe(text(rewritten));
		// A rewrite against no change is simply the rewrite.
		expect(mergeDeck(text(big), text(rewritten), text(big))).toEqual({
			clean: true,
			merged: text(rewritten)
		});
	});

	it('diffs a wholesale rewrite as everything removed, then everything added', () => {
		const rewritten = big.map((line) => line.toUpperCase());
		const diff = lineDiff(text(big), text(rewritten));
		expect(diff).toHaveLength(3000);
		expect(diff.slice(0, 1500).every((l) => l.kind === 'removed')).toBe(true);
		expect(diff.slice(1500).map((l) => l.text)).toEqual(rewritten);
	});
});

/** mulberry32, so the random edits are the same on every run. */
function rng(seed: number) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

describe('mergeDeck: random edit pairs', () => {
	// Lines that repeat in real decks, to give the alignment a hard time.
	const COMMON = ['', '---', 'Note:', '- point', '--'];

	function edit(lines: string[], side: string, random: () => number) {
		const out = [...lines];
		const inserted: string[] = [];
		const ops = Math.floor(random() * 5);
		for (let k = 0; k < ops; k++) {
			const at = Math.floor(random() * (out.length + 1));
			const kind = random();
			const fresh = `${side} line ${k}`;
			if (kind < 0.4 || out.length === 0) {
				out.splice(at, 0, fresh);
				inserted.push(fresh);
			} else if (kind < 0.7) {
				out.splice(Math.min(at, out.length - 1), 1);
			} else {
				out.splice(Math.min(at, out.length - 1), 1, fresh);
				inserted.push(fresh);
			}
		}
		// Slides are often added in blocks that contain common lines too.
		if (random() < 0.3) out.splice(Math.floor(random() * (out.length + 1)), 0, '---', '');
		// The inserted lines that survived the later edits, in the side's own order.
		return { lines: out, inserted: out.filter((line) => inserted.includes(line)) };
	}

	it('never loses a line either side inserted, and keeps each side’s order when clean', () => {
		const random = rng(20240612);
		let clean = 0;
		let conflicts = 0;
		for (let run = 0; run < 600; run++) {
			const size = Math.floor(random() * 25);
			const base = Array.from({ length: size }, (_, i) =>
				random() < 0.4 ? COMMON[Math.floor(random() * COMMON.length)] : `base ${i}`
			);
			const mine = edit(base, 'mine', random);
			const theirs = edit(base, 'theirs', random);
			const text = (lines: string[]) => (lines.length ? lines.join('\n') + '\n' : '');
			const mineText = random() < 0.2 ? text(mine.lines).replace(/\n/g, '\r\n') : text(mine.lines);
			const result = mergeDeck(text(base), mineText, text(theirs.lines));
			const mergedLines = result.merged.split('\n');
			const context = { run, base, mine: mine.lines, theirs: theirs.lines, merged: result.merged };

			for (const line of [...mine.inserted, ...theirs.inserted]) {
				expect(mergedLines, JSON.stringify(context)).toContain(line);
			}
			expect(result.merged).not.toContain('\r');

			if (result.clean) {
				clean++;
				for (const side of [mine.inserted, theirs.inserted]) {
					const positions = side.map((line) => mergedLines.indexOf(line));
					expect(positions, JSON.stringify(context)).toEqual([...positions].sort((x, y) => x - y));
				}
			} else {
				conflicts++;
				const both = resolveConflicts(
					result,
					result.conflicts.map(() => 'both')
				).split('\n');
				for (const line of [...mine.inserted, ...theirs.inserted]) {
					expect(both, JSON.stringify(context)).toContain(line);
				}
				expect(
					resolveConflicts(
						result,
						result.conflicts.map(() => 'mine')
					)
				).not.toContain('<<<<<<<');
			}
			if (JSON.stringify(theirs.lines) === JSON.stringify(base)) {
				expect(result, JSON.stringify(context)).toEqual({ clean: true, merged: text(mine.lines) });
			}
		}
		// The generator must exercise both outcomes for the test to mean anything.
		expect(clean).toBeGreaterThan(100);
		expect(conflicts).toBeGreaterThan(100);
	});
});

describe('lineDiff', () => {
	it('lists unchanged, removed and added lines in order', () => {
		expect(lineDiff('a\nb\nc\nd\n', 'a\nB\nc\nd\ne\n')).toEqual([
			{ kind: 'same', text: 'a' },
			{ kind: 'removed', text: 'b' },
			{ kind: 'added', text: 'B' },
			{ kind: 'same', text: 'c' },
			{ kind: 'same', text: 'd' },
			{ kind: 'added', text: 'e' }
		]);
	});

	it('shows a deleted slide between unchanged ones', () => {
		const before = deck('one', 'two', 'three');
		const after = deck('one', 'three');
		expect(lineDiff(before, after)).toEqual([
			{ kind: 'same', text: 'one' },
			{ kind: 'same', text: '' },
			{ kind: 'same', text: '---' },
			{ kind: 'same', text: '' },
			{ kind: 'removed', text: 'two' },
			{ kind: 'removed', text: '' },
			{ kind: 'removed', text: '---' },
			{ kind: 'removed', text: '' },
			{ kind: 'same', text: 'three' }
		]);
	});

	it('rebuilds both texts from its lines', () => {
		const random = rng(7);
		for (let run = 0; run < 200; run++) {
			const pick = () =>
				Array.from(
					{ length: Math.floor(random() * 12) },
					() => ['', '---', 'a', 'b', 'c', 'Note:'][Math.floor(random() * 6)]
				);
			const a = pick();
			const b = pick();
			const text = (lines: string[]) => (lines.length ? lines.join('\n') + '\n' : '');
			const diff = lineDiff(text(a), text(b));
			expect(diff.filter((l) => l.kind !== 'added').map((l) => l.text)).toEqual(a);
			expect(diff.filter((l) => l.kind !== 'removed').map((l) => l.text)).toEqual(b);
		}
	});

	it('ignores line-end style', () => {
		expect(lineDiff('a\r\nb\r\n', 'a\nb\n')).toEqual([
			{ kind: 'same', text: 'a' },
			{ kind: 'same', text: 'b' }
		]);
	});

	it('handles empty texts', () => {
		expect(lineDiff('', '')).toEqual([]);
		expect(lineDiff('', 'x\n')).toEqual([{ kind: 'added', text: 'x' }]);
		expect(lineDiff('x', '')).toEqual([{ kind: 'removed', text: 'x' }]);
	});
});
