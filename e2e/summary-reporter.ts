// Prints the plain closing line the CI reader understands: "N passed, N failed[, N skipped]".
import type { Reporter, TestCase } from "@playwright/test/reporter";

class SummaryReporter implements Reporter {
  private readonly tests = new Map<string, TestCase>();

  onTestEnd(test: TestCase) {
    this.tests.set(test.id, test);
  }

  onEnd() {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const test of this.tests.values()) {
      const outcome = test.outcome();
      if (outcome === "skipped") skipped += 1;
      else if (outcome === "expected" || outcome === "flaky") passed += 1;
      else failed += 1;
    }
    console.log(`\ne2e: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
  }
}

export default SummaryReporter;
