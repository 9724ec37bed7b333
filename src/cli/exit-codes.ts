/** Exit codes, documented in the README. */
export const ExitCode = {
  ok: 0,
  hostFailed: 2,
  hostUnreachable: 3,
  invalidInput: 4,
  /** Only with --detailed-exitcode: every host succeeded and some changed (in check mode: would change). */
  changesPending: 10,
  interrupted: 99,
  internal: 250,
} as const;
