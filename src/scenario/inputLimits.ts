/**
 * Input size limits, documented in the README ("Limits and exit codes"). Far above any real
 * deployment or drill, low enough that a mistaken or hostile file gets a clear refusal instead
 * of minutes of work and gigabytes of memory.
 */

/** Scenario and model YAML files. */
export const MAX_FILE_BYTES = 1024 * 1024;
/** Timeline actions in one scenario. */
export const MAX_ACTIONS = 10_000;
/** Expectations in one scenario. */
export const MAX_EXPECTATIONS = 10_000;
/** Processes (redis + sentinel) in one model, and hosts. */
export const MAX_PROCESSES = 500;
export const MAX_HOSTS = 500;
/** Model clients (workload clients and proxies). */
export const MAX_CLIENTS = 500;
/**
 * `{ bytes: N }` command arguments: each value, and all of a scenario's together (values of one
 * size are one string in memory). A drill writing tens of MB stays far below; a stray zero does not
 * allocate gigabytes (V8 strings end at ~512 MiB anyway).
 */
export const MAX_VALUE_BYTES = 64 * 1024 * 1024;
export const MAX_SCENARIO_VALUE_BYTES = 256 * 1024 * 1024;
/**
 * A run's simulated length (a scenario's duration, --until). A 24 h soak is a use; 100 years would
 * run for hours with nothing printed off a terminal before the event cap stopped it.
 */
export const MAX_DURATION_US = 30 * 24 * 3_600_000_000;
/**
 * `check --seeds`: each seed runs every case again (about 56 runs for a 3+3 deployment, ~0.5 s of
 * CPU per seed here), so 100 seeds is about a minute of work; a stray range pasted in would be hours, silently.
 */
export const MAX_CHECK_SEEDS = 100;
/** `check --variant`: each what-if column runs every case and seed again. */
export const MAX_CHECK_VARIANTS = 8;
/** Commands in one `command:` list (one connection). */
export const MAX_COMMANDS_PER_ACTION = 1000;
