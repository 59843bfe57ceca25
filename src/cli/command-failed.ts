import type { CommandResult } from './commands.js';

/** A command that ran but failed (an invalid package): printed like a result, with exit code 1. */
export class CommandFailed extends Error {
  override readonly name = 'CommandFailed';
  constructor(readonly result: CommandResult) {
    super(result.text);
  }
}
