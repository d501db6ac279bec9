/**
 * A one-shot barrier for `parties` async tasks: `wait()` resolves once all of them have
 * called it. Used to force two transactions to overlap at a chosen point.
 */
export function createBarrier(parties: number): { wait(): Promise<void> } {
  let arrived = 0
  let release!: () => void
  const all = new Promise<void>((resolve) => (release = resolve))
  return {
    wait() {
      arrived++
      if (arrived >= parties) release()
      return all
    },
  }
}

/** A promise you resolve from outside. */
export function deferred(): { promise: Promise<void>; resolve(): void } {
  let resolve!: () => void
  const promise = new Promise<void>((r) => (resolve = r))
  return { promise, resolve }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
