// Decks for the deck-preview part of `npm run bench`: Markdown that looks like a real talk
// (headings, bullet lists, code with line highlights, math, a table, citation quotes,
// fragments, slide attributes, a few vertical slides, speaker notes), varied per slide.

const TOPICS = [
	'Pipeline parallelism',
	'Tensor parallelism',
	'Sharded optimizer state',
	'Activation checkpointing',
	'Mixed precision',
	'KV cache paging',
	'Speculative decoding',
	'Continuous batching',
	'Collective communication',
	'Load imbalance'
];
const POINTS = [
	'the bubble shrinks as the number of micro-batches grows',
	'every device holds a slice of each weight matrix',
	'all-reduce traffic grows with the hidden size, not the batch',
	'recomputation trades about a third more compute for memory',
	'loss scaling keeps small gradients from flushing to zero',
	'fragmentation, not capacity, limits the batch size',
	'a small draft model proposes tokens the large one verifies',
	'requests join and leave the batch at every iteration',
	'ring all-reduce sends 2(p-1)/p of the data per device',
	'the slowest stage sets the pace of the whole pipeline'
];
const PAPER = 'Efficient Large-Scale Language Model Training on GPU Clusters';

/** The slide the bench types into: a bullet list whose second item ends with ANCHOR. */
export const ANCHOR = 'Interleaved schedules cut the bubble by the number of chunks';

/** What is typed, one key at a time, after ANCHOR (letters and spaces: no Markdown). */
export const TYPED = ' when the stages hold several model chunks each and the network keeps up';

function targetSlide() {
	return [
		'## Where the time goes',
		'',
		'- Forward and backward passes overlap across stages',
		`- ${ANCHOR}`,
		'- Memory per stage grows with the number of micro-batches in flight',
		'',
		'Note:',
		'Start from the timeline figure. Ask the class which schedule they would pick for',
		'eight stages before revealing the answer.'
	].join('\n');
}

function notes(i) {
	const topic = TOPICS[i % TOPICS.length].toLowerCase();
	return `Note:\nSlide ${i + 1}: explain ${topic} with the example from the reading; ${
		POINTS[(i * 7) % POINTS.length]
	}. Leave a minute for questions.`;
}

function bullets(i) {
	const topic = TOPICS[i % TOPICS.length];
	return [
		`## ${topic}`,
		'',
		`- ${POINTS[i % POINTS.length]}`,
		`- **Cost:** ${POINTS[(i + 3) % POINTS.length]}, with \`p = ${2 + (i % 7)}\``,
		`  - measured on ${8 * (1 + (i % 4))} GPUs, $O(p \\cdot b)$ messages`,
		`- *Caveat:* ${POINTS[(i + 5) % POINTS.length]}`,
		'',
		notes(i)
	].join('\n');
}

function code(i) {
	const n = 2 + (i % 5);
	return [
		`## ${TOPICS[i % TOPICS.length]} in code`,
		'',
		`\`\`\`python [1-3|5-${n + 5}|${n + 7}]`,
		'import torch',
		'import torch.distributed as dist',
		'from torch.nn.parallel import DistributedDataParallel as DDP',
		'',
		'def train_step(model, batch, optimizer):',
		...Array.from(
			{ length: n },
			(_, k) => `    loss_${k} = model(batch[${k}]).loss / ${n}  # micro-batch ${k}`
		),
		`    loss = sum([${Array.from({ length: n }, (_, k) => `loss_${k}`).join(', ')}])`,
		'    loss.backward()',
		'    optimizer.step()',
		'    dist.barrier()',
		'    return loss.item()',
		'```',
		'',
		notes(i)
	].join('\n');
}

function math(i) {
	const p = 2 + (i % 6);
	return [
		'## Cost model',
		'',
		'$$',
		`T_{\\text{step}} = \\frac{(m + ${p} - 1)\\,(t_f + t_b)}{m} + \\frac{2(${p}-1)}{${p}} \\cdot \\frac{N}{B}`,
		'$$',
		'',
		`- $m$: micro-batches, $t_f, t_b$: forward and backward time of one stage`,
		`- $N/B$: bytes of the gradients over the link bandwidth, here ${25 * (1 + (i % 4))} GB/s`,
		'',
		notes(i)
	].join('\n');
}

function citation(i) {
	return [
		'## What the paper claims',
		'',
		`> ${POINTS[i % POINTS.length][0].toUpperCase()}${POINTS[i % POINTS.length].slice(1)}, and`,
		`> ${POINTS[(i + 4) % POINTS.length]}.`,
		`> — [${PAPER}, p. ${1 + (i % 12)}](podium:annotation/benchcite${i})`,
		'',
		notes(i)
	].join('\n');
}

function comparison(i) {
	return [
		`<!-- .slide: data-background-color="#f4f1ea" -->`,
		`## ${TOPICS[(i + 2) % TOPICS.length]} vs ${TOPICS[(i + 5) % TOPICS.length]}`,
		'',
		'| | memory | communication | bubble |',
		'| --- | ---: | ---: | ---: |',
		`| baseline | ${40 + i} GB | 1x | ${10 + (i % 9)} % |`,
		`| sharded | ${12 + (i % 8)} GB | 1.5x | ${10 + (i % 9)} % |`,
		`| interleaved | ${20 + (i % 5)} GB | 2x | ${3 + (i % 4)} % |`,
		'',
		`Strength: ${POINTS[(i + 1) % POINTS.length]} <!-- .element: class="fragment" -->`,
		'',
		notes(i)
	].join('\n');
}

const KINDS = [bullets, code, math, bullets, citation, comparison];

/**
 * A deck of `count` slides, with targetSlide() in the middle (slide Math.floor(count / 2),
 * 0-based, horizontal): a title slide first, then KINDS in turn, every ninth slide below
 * the one before it (a vertical slide).
 */
export function deckSource(count) {
	const middle = Math.floor(count / 2);
	const parts = [];
	for (let i = 0; i < count; i++) {
		let text;
		if (i === middle) text = targetSlide();
		else if (i === 0) {
			text = `# ${PAPER}\n\nA critical reading, lecture 6\n\nNote:\nIntroduce both presenters; the talk has ${count} slides.`;
		} else text = KINDS[i % KINDS.length](i);
		const vertical = i % 9 === 8 && i !== middle;
		if (i > 0) parts.push(vertical ? '\n--\n' : '\n---\n');
		parts.push(text);
	}
	return parts.join('\n') + '\n';
}
