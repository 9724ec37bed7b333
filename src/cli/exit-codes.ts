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
  /** The controller ran out of file descriptors: the message names the limit and how to raise it. */
  controllerLimit: 250,
} as const;
