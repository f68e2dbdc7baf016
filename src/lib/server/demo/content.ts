import type { ReadingInput } from '$lib/server/lectures/service';
import type { CritiqueKind } from '$lib/critiques/forms';

// The course of shared/course-page.txt, as its instructors would enter it.

export const DEMO_PASSWORD = 'podium-demo-2026';

export const INSTRUCTOR = { email: 'instructor@example.org', name: 'Dr. Mira Castellanos' };
export const TA = { email: 'ta@example.org', name: 'Jonas Weber' };
export const STUDENTS = [
	{ email: 'amara@example.org', name: 'Amara Okafor' },
	{ email: 'ben@example.org', name: 'Ben Hoffmann' },
	{ email: 'chen@example.org', name: 'Chen Wei' },
	{ email: 'dalia@example.org', name: 'Dalia Haddad' },
	{ email: 'emil@example.org', name: 'Emil Lindqvist' },
	{ email: 'farah@example.org', name: 'Farah Siddiqui' },
	{ email: 'gabriel@example.org', name: 'Gabriel Souza' },
	{ email: 'hana@example.org', name: 'Hana Kobayashi' },
	{ email: 'ivan@example.org', name: 'Ivan Petrov' },
	{ email: 'julia@example.org', name: 'Julia Rossi' }
];

export const COURSE = {
	title: 'Systems for Large (Language) Models',
	timeZone: 'Europe/Berlin',
	description: `In this course, we will go over various systems advances that can enable training billion parameter transformer models, such as GPT-3 and LLaMa. Such "foundation models", trained on internet-scale data have enabled breakthroughs in generative AI such as ChatGPT. However, working with these models is often considered impossible without access to industry scale GPU clusters, primarily due to the sheer size of these models.

We will go over advances in systems that democratize research on such large scale models and make working with such models possible even with modest resources. By the end of this course, you will learn how to train and finetune state-of-the-art models that contain billions of parameters and cannot fit into a single GPU's memory.

**Requirements.** Familiarity with PyTorch and HuggingFace's Transformers, Accelerate, Datasets and DeepSpeed; deep learning fundamentals (batch sizes, backpropagation, optimizers, learning rate schedules). C/C++/CUDA helps. Some research maturity: we critique state-of-the-art papers to find research projects in this space.

**Format.** Every lecture has readings (papers, blog posts, talks) that everyone goes through before class, and a pair of lead presenters who give a 45–60 minute talk that (1) explains the topic comprehensively and (2) assesses the strengths and weaknesses of the approach. Lead presenters rotate so that everyone is equally involved; the first lecture is given by the instructors as an example.

**Mini-projects.** Before each lecture you may submit a 1–2 page report on an experiment implementing a technique from that lecture; any 3 of the 5 count.`,
	logistics: `Lectures are held in **building E1 5, room 029**, from **16:00 to 18:00** (Europe/Berlin), in person and in English. Remote participation is possible only in special circumstances: ask the instructors for permission.`,
	contact: `Questions about the course: email [sysllm2023instructors@mpi-sws.org](mailto:sysllm2023instructors@mpi-sws.org); the instructors and TAs answer as soon as possible. Discussion happens here in Podium.`,
	gradingPolicy: `| Part | Share |
| --- | --- |
| Lead presentation | 70 % |
| Mini-projects (any 3 of 5) | 20 % |
| Class participation | 10 % |`
};

type DemoLecture = {
	title: string;
	topic: string;
	description: string;
	readings: ReadingInput[];
};

const paper = (title: string, url: string, required = true): ReadingInput => ({
	title,
	url,
	kind: 'paper',
	required
});

export const LECTURES: DemoLecture[] = [
	{
		title: 'Reducing memory footprint I',
		topic: 'Gradient checkpointing, gradient accumulation',
		description:
			'Where the memory of training goes (weights, gradients, optimizer state, activations) and how to trade compute for activation memory.',
		readings: [
			paper(
				'Training Deep Nets with Sublinear Memory Cost (Chen et al., 2016)',
				'https://arxiv.org/abs/1604.06174'
			),
			{
				title: 'Methods and tools for efficient training on a single GPU (Hugging Face docs)',
				url: 'https://huggingface.co/docs/transformers/perf_train_gpu_one',
				kind: 'blog_post',
				required: true
			}
		]
	},
	{
		title: 'Reducing memory footprint II',
		topic: 'Mixed precision training, weight quantization',
		description:
			'Training in 16-bit floating point without losing accuracy, and 8-bit weights for inference.',
		readings: [
			paper(
				'Mixed Precision Training (Micikevicius et al., 2018)',
				'https://arxiv.org/abs/1710.03740'
			),
			paper(
				'LLM.int8(): 8-bit Matrix Multiplication for Transformers at Scale (Dettmers et al., 2022)',
				'https://arxiv.org/abs/2208.07339'
			),
			paper(
				'8-bit Optimizers via Block-wise Quantization (Dettmers et al., 2022)',
				'https://arxiv.org/abs/2110.02861',
				false
			)
		]
	},
	{
		title: 'Parallelism I',
		topic: 'Data parallel, model parallel, pipeline parallel',
		description: 'Splitting the batch, the layers and the tensors of a model across GPUs.',
		readings: [
			paper(
				'Megatron-LM: Training Multi-Billion Parameter Language Models Using Model Parallelism (Shoeybi et al., 2019)',
				'https://arxiv.org/abs/1909.08053'
			),
			paper(
				'GPipe: Efficient Training of Giant Neural Networks using Pipeline Parallelism (Huang et al., 2019)',
				'https://arxiv.org/abs/1811.06965'
			),
			paper(
				'PyTorch Distributed: Experiences on Accelerating Data Parallel Training (Li et al., 2020)',
				'https://arxiv.org/abs/2006.15704',
				false
			)
		]
	},
	{
		title: 'Parallelism II',
		topic: 'ZeRO and ZeRO-Offload, other ZeRO optimizations',
		description:
			'Sharding optimizer state, gradients and parameters, and offloading them to CPU memory.',
		readings: [
			paper(
				'ZeRO: Memory Optimizations Toward Training Trillion Parameter Models (Rajbhandari et al., 2020)',
				'https://arxiv.org/abs/1910.02054'
			),
			paper(
				'ZeRO-Offload: Democratizing Billion-Scale Model Training (Ren et al., 2021)',
				'https://arxiv.org/abs/2101.06840'
			),
			{
				title:
					'ZeRO & DeepSpeed: New system optimizations enable training models with over 100 billion parameters (Microsoft Research blog)',
				url: 'https://www.microsoft.com/en-us/research/blog/zero-deepspeed-new-system-optimizations-enable-training-models-with-over-100-billion-parameters/',
				kind: 'blog_post',
				required: false
			}
		]
	},
	{
		title: 'Parameter-efficient finetuning',
		topic: 'Low-rank adapters (LoRA) and quantized low-rank adapters (QLoRA)',
		description:
			'Finetuning billion-parameter models on one GPU by training small low-rank updates.',
		readings: [
			paper(
				'LoRA: Low-Rank Adaptation of Large Language Models (Hu et al., 2021)',
				'https://arxiv.org/abs/2106.09685'
			),
			paper(
				'QLoRA: Efficient Finetuning of Quantized LLMs (Dettmers et al., 2023)',
				'https://arxiv.org/abs/2305.14314'
			),
			{
				title: 'QLoRA: Efficient Finetuning of Quantized LLMs (talk by Tim Dettmers)',
				url: 'https://www.youtube.com/watch?v=y9PHWGOa8HA',
				kind: 'video',
				required: false
			}
		]
	}
];

export const ANNOUNCEMENTS = [
	{
		title: 'Welcome to Systems for Large (Language) Models',
		body: 'Welcome! Please read the course description and the readings of **Lecture 1** before we meet. Presenter pairs for the later lectures will be assigned here in Podium.',
		pinned: true,
		byTa: false
	},
	{
		title: 'Mini-project 1 is out',
		body: 'Implement gradient checkpointing for a small transformer and measure peak memory against step time. Submit a 1–2 page report **before Lecture 2**.',
		pinned: false,
		byTa: true
	}
];

export interface DemoCritique {
	/** Index into STUDENTS. */
	by: number;
	lecture: number;
	kind: CritiqueKind;
	anonymous?: boolean;
	/** When it was submitted, in hours after the lecture's start (negative: before). */
	hoursAfterStart: number;
	/**
	 * Answers to the default form. `{note:N}` links the N-th demo annotation of the lecture's
	 * papers, `{passage:N}` quotes the passage that annotation is on.
	 */
	answers: Record<string, string | number>;
	replies?: { by: number | 'ta' | 'instructor'; body: string; asPresenters?: boolean }[];
	helpfulFrom?: number[];
}

export const CRITIQUES: DemoCritique[] = [
	{
		by: 2,
		lecture: 1,
		kind: 'paper',
		hoursAfterStart: -20,
		answers: {
			summary:
				'The notes explain why activations, not model state, fill accelerator memory, and how storing only segment boundaries trades one extra forward pass for memory proportional to $\\sqrt{n}$.',
			strengths:
				'The memory breakdown is concrete: $16P$ bytes of model state against activations that grow with batch, sequence and depth. Amara put it well in {note:0}.\n\nThe schedule is derived, not just stated, so the $\\sqrt{n}$ optimum is easy to check.',
			weaknesses:
				'{passage:2}\n\nThe overhead range comes with no setup: model size, sequence length and hardware would all move it.\n\nSelective checkpointing is mentioned in one sentence, although it is what frameworks use today.',
			questions: 'How much of the 20–35 % is recovered by the larger micro-batch in practice?',
			soundness: 3,
			significance: 4,
			clarity: 4,
			confidence: 3
		},
		helpfulFrom: [0, 4, 6],
		replies: [
			{
				by: 4,
				body: 'Good catch on the missing setup. I measured 28 % on a 350M model at sequence length 1024 for the mini-project.'
			},
			{ by: 2, body: 'Thanks @Emil Lindqvist, that is right in the middle of their range.' }
		]
	},
	{
		by: 3,
		lecture: 1,
		kind: 'paper',
		anonymous: true,
		hoursAfterStart: -3,
		answers: {
			summary:
				'Checkpointing keeps a subset of activations and recomputes the rest in the backward pass.',
			strengths:
				'Model agnostic, and the gradient accumulation section shows clearly that the two techniques combine.',
			weaknesses:
				'The notes assume uniform layers; attention and MLP blocks differ a lot in memory and recompute cost (see {note:1}).\n\nNothing about how checkpointing interacts with pipeline parallelism beyond one open question.',
			limitations:
				'Only training is considered; the same trade-off exists for long-context inference.',
			soundness: 3,
			significance: 3,
			clarity: 3,
			confidence: 2
		},
		helpfulFrom: [1],
		replies: [
			{
				by: 9,
				body: 'Which of the two weaknesses would you test first if you had one GPU for a week?'
			},
			{
				by: 3,
				body: 'The non-uniform layers: measure per-block memory and recompute time, then pick checkpoints greedily.'
			}
		]
	},
	{
		by: 7,
		lecture: 1,
		kind: 'paper',
		hoursAfterStart: 5,
		answers: {
			summary: 'Trading compute for activation memory by recomputing discarded activations.',
			strengths: 'Clear cost model and a worked example for a 1.3B model.',
			weaknesses:
				'{passage:3}\n\nReplaying random state is presented as solved, but the notes do not say how (see {note:3}).',
			soundness: 2,
			significance: 4,
			clarity: 3,
			confidence: 3
		},
		replies: [
			{
				by: 'ta',
				body: 'Accepted, marked late. PyTorch stores the RNG state at each checkpoint and restores it before recomputing.'
			}
		]
	},
	{
		by: 8,
		lecture: 1,
		kind: 'paper',
		hoursAfterStart: -30,
		answers: {
			summary: 'Activation checkpointing and gradient accumulation, and when each one helps.',
			strengths: 'Short, with the right references to follow up.',
			weaknesses:
				'The figure shows memory only; a second axis with step time would make the trade-off visible.',
			questions: 'Is there a closed form for the optimum when layers differ?',
			soundness: 3,
			significance: 3,
			clarity: 4,
			confidence: 4
		},
		helpfulFrom: [2]
	},
	{
		by: 6,
		lecture: 1,
		kind: 'presentation',
		hoursAfterStart: 20,
		answers: {
			strengths:
				'The memory budget on [slide 2](podium:slide/2) set up the whole talk.\n\nAsking the class why the optimum is at $\\sqrt{n}$ ([slide 3](podium:slide/3)) worked well.',
			weaknesses:
				'The strengths-and-weaknesses slide ([slide 4](podium:slide/4)) came with no numbers for the 20–35 % claim.',
			explanation: 4,
			assessment: 3,
			delivery: 4
		},
		// No helpful marks: classmates may not read it before its deadline, which can be ahead.
		replies: [
			{
				by: 'instructor',
				body: 'Fair point: we will add the measurements from the mini-projects to the slide.'
			}
		]
	},
	{
		by: 1,
		lecture: 4,
		kind: 'paper',
		hoursAfterStart: -150,
		answers: {
			summary:
				'Sharding optimizer state, then gradients, then parameters across the data parallel group, and offloading what still does not fit.',
			strengths:
				'The stages are introduced one at a time, each with what it saves and what it costs.',
			weaknesses:
				'{passage:0}\n\nThe notes state the 1.5× communication but never say when the network makes stage three a bad deal; Farah raises the same trade-off in {note:0}.',
			questions: 'At what model size does stage two stop being enough on 8 GPUs?',
			soundness: 3,
			significance: 4,
			clarity: 4,
			confidence: 3
		},
		replies: [
			{
				by: 5,
				asPresenters: true,
				body: 'Thanks: we will show the break-even bandwidth for stage three in the talk, with numbers for 8 GPUs.'
			}
		]
	}
];

/** Questions the class asked during the instructors' talk of lecture 1 (slides are 0-based). */
export const TALK_QUESTIONS: {
	by: number;
	slide: number;
	body: string;
	votes: number[];
	answered: boolean;
}[] = [
	{
		by: 3,
		slide: 1,
		body: 'Does the 16P bytes include the fp32 master copy of the weights under mixed precision?',
		votes: [0, 4, 6],
		answered: true
	},
	{
		by: 7,
		slide: 2,
		body: 'Why is the optimum at the square root of the number of layers, and not at a fixed stride?',
		votes: [2, 5],
		answered: true
	},
	{
		by: 8,
		slide: 3,
		body: 'Does checkpointing still pay off when activations are offloaded to CPU memory?',
		votes: [1],
		answered: false
	}
];
