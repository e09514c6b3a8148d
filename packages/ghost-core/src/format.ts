// @ghost/core/format: core's data as text for people and terminals. Front ends share these so
// that a status, a duration or an escaped name reads the same everywhere; a tool that only drives
// the engine needs none of them, which is why they are not in `@ghost/core`. The line between the
// two: what is true of a task (its status, duration, ports, JSON shape) is the engine's; the words,
// units, widths and escapes that show it are here.
export { formatBytes, formatPercent } from './format/usage-text.js';
export { WIDE_CHARS, charWidth, displayWidth } from './format/terminal-width.js';
export { commandText, displayPath, formatAgo, formatDuration, shortId, statusText, statusWords, taskLabel } from './format/task-text.js';
export { escapeForTerminal } from './format/terminal-text.js';
export { SERVICE_STATE_TEXT, progressText } from './format/stack-text.js';
// Log text on its way to a terminal or a model; the engine's own log readers apply them too.
export { TerminalLogFilter, plainLine, sanitizeLine, stripColors } from './logs/sanitize.js';
