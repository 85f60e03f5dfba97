import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The order files start in. Two files spend most of their time waiting (the fault proxy's
 * timeouts; the fakes' pacing during `init`): each goes first beside a file that keeps the CPU busy
 * (the browser group), so the wait of one overlaps the work of the other instead of both workers
 * waiting at once. The rest keep vitest's order (the slowest first).
 */
const FIRST = ['cli/faults.e2e.test.ts', 'browser/layout.test.ts', 'cli/init.e2e.test.ts', 'browser/pages.test.ts'];

export default class Sequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification) => {
      const at = FIRST.findIndex((name) => file.moduleId.endsWith(name));
      return at === -1 ? FIRST.length : at;
    };
    return sorted
      .map((file, i) => ({ file, i }))
      .sort((a, b) => rank(a.file) - rank(b.file) || a.i - b.i)
      .map(({ file }) => file);
  }
}
