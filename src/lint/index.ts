/** `sentinel-sim lint` as a library. */
export { lintFiles, lintString, inferMode, type LintOptions, type LintResults, type FileLint, type LintVerdict, type LintMode } from './lint.js';
export { formatText, formatJson } from './format.js';
export type { LintWarning } from './warnings.js';
export { runLint, type CommandOutput, type LintCommandOptions } from './command.js';
