#!/usr/bin/env node
// The headless CLI: `mts train|validate|info`. The code is bundled into dist/cli.js by `npm run build`.
require('../dist/cli.js');
