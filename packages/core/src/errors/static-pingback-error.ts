/**
 * The base of every error the project throws on purpose: `code` is stable (kebab-case,
 * documented in docs/ARCHITECTURE.md), so callers such as the CLI decide by code, not
 * by class or message. Anything else that is thrown is a bug.
 */
export abstract class StaticPingbackError extends Error {
  abstract readonly code: string;
}
