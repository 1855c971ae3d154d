/**
 * The top of every command: a UsageError (bad flag, unknown lab, corrupted file) prints its
 * message alone and exits with status 2; anything else is a bug, printed with its stack, status 1.
 */
import { UsageError } from "../lib/errors.ts";

export async function exitOnError(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`error: ${error.message}`);
      Deno.exit(2);
    }
    console.error(error);
    Deno.exit(1);
  }
}
