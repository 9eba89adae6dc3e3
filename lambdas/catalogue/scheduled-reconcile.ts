import type { ReconcileCursorStore } from '../adapters/catalogue-reconcile-cursor';
import { continueFolderErasure, type FolderErasureDeps } from './erase-in-background';
import { emptyReport, type ReconcileDeps, type ReconcileReport, reconcileWithin } from './reconcile';

/** What the scheduled run needs: erasing (with the erasure log), reconciling, and where the last run stopped. */
export interface ScheduledReconcileDeps {
  readonly erasing: FolderErasureDeps;
  readonly reconciling: ReconcileDeps;
  readonly cursors: ReconcileCursorStore;
}

/** What one scheduled run did. */
export interface ScheduledReconcileOutcome extends ReconcileReport {
  /** Running erasures this run took up because no run held them (their runs had died). */
  readonly erasuresContinued: number;
  /** Whether this run completed a reconcile pass (else the next run goes on from its cursor). */
  readonly passComplete: boolean;
}

// Time kept back at the end of a run: the record or object in hand finishes, and the cursor is written.
export const RECONCILE_STOP_MARGIN_MS = 60_000;

/**
 * One scheduled run: first the folder erasures whose runs all died (recorded as running, their
 * lease expired: an erasure is an end user's request, so it goes before housekeeping), then the
 * reconciler from where the previous run stopped, until the pass is complete or the run's time
 * (`timeLeftMs`) is nearly up; the cursor is kept in the table for the next run.
 */
export async function runScheduledReconcile(
  deps: ScheduledReconcileDeps,
  timeLeftMs: () => number,
): Promise<ScheduledReconcileOutcome> {
  const stopping = () => timeLeftMs() < RECONCILE_STOP_MARGIN_MS;
  let erasuresContinued = 0;
  for (const erasure of await deps.erasing.erasures.running()) {
    if (stopping()) break;
    const event = { erasure: { client: erasure.client, id: erasure.id } };
    // A run that still holds the erasure keeps it: the claim fails and nothing is done here.
    const after = await continueFolderErasure(
      deps.erasing,
      event,
      () => timeLeftMs() - RECONCILE_STOP_MARGIN_MS,
    );
    if (after.state === 'done' || after.deleted !== erasure.deleted) erasuresContinued += 1;
  }
  const from = (await deps.cursors.read()) ?? { phase: 'records' };
  const run = stopping()
    ? { report: undefined, next: from }
    : await reconcileWithin(deps.reconciling, from, stopping);
  await deps.cursors.write(run.next, deps.erasing.now());
  return {
    ...(run.report ?? emptyReport()),
    erasuresContinued,
    passComplete: run.next === undefined,
  };
}
