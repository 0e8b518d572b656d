#!/usr/bin/env node
// The headless CLI: `mts train|validate|info`. The code is bundled into dist/cli.js by `npm run build`.
// Ctrl+C while the bundle loads (0.5-1 s on a busy machine) used to kill mts by the signal. From
// here on it is caught: a signal that arrives during the load is handled once it has loaded, by
// whatever handler the command has installed by then (`mts train` forwards it to its trainer);
// when the command has none, mts quits with 130 as it does for Ctrl+C elsewhere.
process.on('SIGINT', function onlyHandler() {
  if (process.listenerCount('SIGINT') === 1) process.exit(130);
});
require('../dist/cli.js');
