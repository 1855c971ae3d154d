/**
 * The top of every command: a UsageError (bad flag, unknown lab, corrupted file) prints its
 * message alone and exits with status 2; anything else is a bug, printed with its stack, status 1.
 * Neither ever shows the password of a connection URL it quotes.
 */
import { UsageError } from "../lib/errors.ts";
import { redactPasswords } from "../lib/run/store_url.ts";

export async function exitOnError(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`error: ${redactPasswords(error.message)}`);
      Deno.exit(2);
    }
    console.error(redactPasswords(Deno.inspect(error, { colors: !Deno.noColor && Deno.stderr.isTerminal() })));
    Deno.exit(1);
  }
}
