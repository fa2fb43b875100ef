/** The exit codes of every verb: a leaf, so errors and the protocol both read them. */
export const EXIT = {
  /** Succeeded; for status and validate: every component ready. */
  ok: 0,
  /** Failed, or something is not ready (or could not be read). */
  failed: 1,
  /** Bad usage, or azure.yaml has errors (nothing was changed). */
  invalidInput: 2,
  /** Refused: a stack is busy, destruction needs --yes, or an update would replace or delete what holds data. */
  refused: 3,
  /** Cancelled (Ctrl-C, or Cancel in VS Code). */
  cancelled: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
