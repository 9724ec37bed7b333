/** Exit codes, documented in the README. */
export const ExitCode = {
  ok: 0,
  hostFailed: 2,
  hostUnreachable: 3,
  invalidInput: 4,
  interrupted: 99,
  internal: 250,
} as const;
