// `gridlock serve`: the local web page. The CLI's `serve` subcommand calls startServer.
export { startServer, pickRoot, ServeStartError, DEFAULT_HOST, DEFAULT_MAX_INPUT_BYTES, DEFAULT_PORT } from './server.js';
export type { AnalyzeAnswer, RunningServer, ServeOptions } from './server.js';
export { loadStages, type DumpStages, type AnalyzeSettings } from './pipeline.js';
