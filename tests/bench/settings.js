// Settings of the benchmark's parts, read from the environment.

/** The integer `name` of `env` (>= `min`), `fallback` when unset or empty. */
export function integerSetting(env, name, fallback, min) {
	const raw = env[name];
	if (raw === undefined || raw === '') return fallback;
	const value = Number(raw);
	if (!Number.isInteger(value) || value < min) {
		throw new Error(`${name} must be an integer >= ${min}.`);
	}
	return value;
}
