import { readFileSync, rmSync } from "node:fs";

/** Where the axe results of this run are kept: one file per distinct page, and the counts. */
export const axeDir = `${process.env.E2E_DATA_DIR ?? "/tmp"}/axe`;
export const statsFile = `${axeDir}/stats.json`;

/** Counts across the run (both projects), updated by each test (see `test` in tests/support.ts). */
export interface AxeStats {
  /** HTML documents the tests loaded (every project, every page and context). */
  loaded: number;
  /** Pages axe ran on: those whose normalised HTML had not been checked before. */
  checked: number;
  /** Page loads with violations (the page checked, or known from an equal page). */
  failed: number;
  /** Documents the test left before they had loaded (neither body nor DOM readable): noted in the test's annotations, not checked. */
  unread: number;
  /** Time spent in axe, milliseconds. */
  axeMs: number;
}

export function readStats(): AxeStats {
  try {
    return JSON.parse(readFileSync(statsFile, "utf8")) as AxeStats;
  } catch {
    return { loaded: 0, checked: 0, failed: 0, unread: 0, axeMs: 0 };
  }
}

/**
 * Global setup of the suite: starts the run with no recorded axe results (equal pages are
 * checked once per run), and returns the teardown, which prints how many pages the tests
 * loaded and how many axe checked.
 */
export default function axeRun(): () => void {
  rmSync(axeDir, { recursive: true, force: true });
  return () => {
    const s = readStats();
    console.log(
      `axe-core: ${s.loaded} HTML pages loaded by the tests, ${s.checked} distinct pages checked ` +
        `(${(s.axeMs / 1000).toFixed(0)} s), ${s.failed} loads with violations, ${s.unread} left by the test before they had loaded`,
    );
  };
}
