import { expect, test } from 'vitest';
import { keepHeapsTight } from '../../src/app/memory.js';

test("serve's heap growth is set unless the command line sets its own", () => {
  expect(keepHeapsTight(['--heap-growing-percent=50'])).toBe(false);
  expect(keepHeapsTight(['--max-old-space-size=512'])).toBe(true);
});
