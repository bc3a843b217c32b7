// Stands in for the `debug` package, which require-in-the-middle uses for its trace output. The
// real one probes the terminal and the environment when it loads (tty, supports-color): about
// 5 ms of every cold start, for output nobody can switch on inside Lambda except through DEBUG.
// The layer reports through its own OTEL_LOG_LEVEL diagnostics instead.
'use strict';
const silent = () => undefined;
module.exports = () => silent;
