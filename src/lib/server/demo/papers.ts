// Study notes written for the demo course (our own text, free to ship), laid out like
// papers so the class has something to read and annotate at first start.

export interface DemoPaper {
	lecture: number;
	title: string;
	authors: string[];
	venue: string;
	year: number;
	pageCount: number;
	sections: { heading: string; paragraphs: string[] }[];
	figures: { caption: string; afterSection: number }[];
	annotations: DemoAnnotation[];
}

export interface DemoAnnotation {
	/** Index into STUDENTS of content.ts, or 'ta' / 'instructor'. */
	by: number | 'ta' | 'instructor';
	quote: string;
	body: string;
	tags: string[];
	replies?: { by: number | 'ta' | 'instructor'; body: string }[];
	helpfulFrom?: number[];
	endorsed?: boolean;
}

export const DEMO_PAPERS: DemoPaper[] = [
	{
		lecture: 1,
		title: 'Study Notes: Trading Compute for Memory with Activation Checkpointing',
		authors: ['Podium Demo Course Staff'],
		venue: 'Systems for Large (Language) Models, reading notes',
		year: 2026,
		pageCount: 3,
		sections: [
			{
				heading: 'Abstract',
				paragraphs: [
					'Training a transformer keeps every intermediate activation of the forward pass until the backward pass consumes it. For long sequences and deep models these activations, not the weights, dominate accelerator memory. Activation checkpointing stores only a subset of activations and recomputes the rest during the backward pass. These notes summarise why the technique works, what it costs, and where its assumptions break down.'
				]
			},
			{
				heading: 'Where the memory goes',
				paragraphs: [
					'For a model with P parameters trained with Adam in mixed precision, the weights, gradients and optimizer state together need about 16P bytes. Activations add a term that grows linearly with batch size, sequence length and depth. For a 1.3 billion parameter model with sequence length 2048 and micro-batch size 8, the activations of a single step exceed the memory of a 24 GB card even though the model state fits.',
					'The observation behind checkpointing is that most activations are cheap to recompute relative to the cost of keeping them. A layer whose output is discarded can be recomputed from its input during the backward pass, at the price of one extra forward computation of that layer.'
				]
			},
			{
				heading: 'The sublinear schedule',
				paragraphs: [
					'If a network of n layers is split into segments of length k and only segment boundaries are stored, peak activation memory is proportional to n/k + k. Choosing k close to the square root of n gives memory proportional to the square root of n, at the cost of roughly one additional forward pass. In practice frameworks checkpoint at transformer block boundaries, which is a coarse but effective approximation of this schedule.',
					'The extra forward pass typically costs between 20 and 35 percent of step time. Whether this is a good trade depends on what the freed memory buys: a larger micro-batch improves accelerator utilisation and can recover much of the lost throughput.'
				]
			},
			{
				heading: 'Gradient accumulation',
				paragraphs: [
					'Gradient accumulation is complementary. Instead of reducing the memory of one step, it splits a large logical batch into several micro-batches whose gradients are summed before the optimizer step. Memory then depends on the micro-batch size only, while the optimisation behaves like the large batch, except for batch normalisation statistics, which transformers rarely use.'
				]
			},
			{
				heading: 'Strengths and limitations',
				paragraphs: [
					'The technique is simple, model agnostic and available in every major framework. Its main weakness is that the recomputation is not free: kernels with random state such as dropout must replay the same random numbers, and operations with side effects cannot be recomputed safely. Selective checkpointing, which keeps cheap-to-store but expensive-to-recompute activations such as attention softmax outputs, narrows the overhead further.',
					'Open questions for discussion: how should one choose checkpoints automatically for heterogeneous layers, and how does checkpointing interact with pipeline parallelism, where activations also cross device boundaries?'
				]
			}
		],
		figures: [
			{
				caption: 'Peak activation memory against segment length k for n = 48 layers.',
				afterSection: 2
			}
		],
		annotations: [
			{
				by: 0,
				quote: 'these activations, not the weights, dominate accelerator memory',
				body: 'This framing helped me: the model state is fixed, activations scale with **batch × sequence × depth**.',
				tags: ['strength'],
				helpfulFrom: [1, 2, 5],
				endorsed: true,
				replies: [
					{ by: 3, body: 'Agreed. Lecture 2 will shrink the $16P$ part with mixed precision.' }
				]
			},
			{
				by: 1,
				quote: 'peak activation memory is proportional to n/k + k',
				body: 'Why is the optimum exactly at $k = \\sqrt{n}$? Minimising $n/k + k$ gives $k^2 = n$, but layers are not uniform in transformers.',
				tags: ['question'],
				helpfulFrom: [0, 4],
				replies: [
					{
						by: 'ta',
						body: 'Good point: with non-uniform layers you minimise a weighted sum instead. See the selective checkpointing paragraph.'
					}
				]
			},
			{
				by: 2,
				quote: 'The extra forward pass typically costs between 20 and 35 percent of step time',
				body: 'The notes give no measurement setup for this range. It likely depends heavily on sequence length.',
				tags: ['weakness'],
				helpfulFrom: [6]
			},
			{
				by: 4,
				quote: 'kernels with random state such as dropout must replay the same random numbers',
				body: 'How do frameworks guarantee this on GPU? Do they store the RNG state per segment?',
				tags: ['question', 'confusing']
			}
		]
	},
	{
		lecture: 4,
		title: 'Study Notes: Sharding Optimizer State, Gradients and Parameters',
		authors: ['Podium Demo Course Staff'],
		venue: 'Systems for Large (Language) Models, reading notes',
		year: 2026,
		pageCount: 3,
		sections: [
			{
				heading: 'Abstract',
				paragraphs: [
					'Data parallel training replicates the full model state on every device. Sharding that state across the data parallel group removes the redundancy: each device keeps only its partition and gathers the rest when needed. These notes walk through the three stages of sharding and the communication each one adds.'
				]
			},
			{
				heading: 'Redundancy in data parallelism',
				paragraphs: [
					'With N devices, plain data parallelism stores N copies of the weights, gradients and optimizer state. For Adam the optimizer state alone is twice the size of the weights in full precision, so most of the memory of each device holds information that every other device also holds.'
				]
			},
			{
				heading: 'Three stages',
				paragraphs: [
					'Stage one partitions the optimizer state: each device updates only its shard of the parameters and the updated shards are gathered afterwards. Stage two also partitions the gradients, replacing the all-reduce with a reduce-scatter. Stage three partitions the parameters themselves and gathers each layer just in time for its forward and backward computation.',
					'Stages one and two keep the communication volume of plain data parallelism. Stage three increases it by about half, because parameters are gathered twice per step, once for the forward and once for the backward pass.'
				]
			},
			{
				heading: 'Offloading',
				paragraphs: [
					'When even the shards do not fit, optimizer state and the optimizer step can move to CPU memory. The CPU step is slower, but it overlaps with the backward pass of the next layers, so the accelerator mostly keeps computing.'
				]
			}
		],
		figures: [
			{
				caption: 'Memory per device for the three stages with N = 8 devices.',
				afterSection: 2
			}
		],
		annotations: [
			{
				by: 5,
				quote: 'Stage three increases it by about half',
				body: 'This is the key cost to weigh in the presentation: 1.5× communication for N× less parameter memory.',
				tags: ['weakness'],
				helpfulFrom: [7, 8]
			},
			{
				by: 6,
				quote: 'replacing the all-reduce with a reduce-scatter',
				body: 'Nice: an all-reduce *is* a reduce-scatter followed by an all-gather, so stage 2 simply skips the second half for gradients.',
				tags: ['strength'],
				helpfulFrom: [5]
			}
		]
	}
];
