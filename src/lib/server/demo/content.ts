import type { ReadingInput } from '$lib/server/lectures/service';

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
