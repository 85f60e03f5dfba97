// Runs the CLI from source for end-to-end tests (the installed bin runs the compiled dist/).
import { main } from '../../src/cli/main.js';

await main(process.argv);
