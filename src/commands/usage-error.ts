/** A mistake in what the user typed: reported in one line, exit code 2. */
export class UsageError extends Error {}
