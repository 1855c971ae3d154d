/**
 * Riding out a PostgreSQL restart: a query that failed because the connection was cut (the
 * server restarting, shutting down, or not yet accepting) is tried again, every half second,
 * for up to `withinMs`; any other error, and a server still gone after that, is thrown as it
 * was. node-postgres's pool opens a new connection for each try, so workers and labs reconnect
 * by themselves. Only statements that are safe to repeat go through it (upserts, updates of a
 * whole row, transactions that either committed or left nothing).
 */
const CUT = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "57P01", // admin_shutdown: the server is stopping (pg_ctl stop -m fast)
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now: starting up or shutting down
  "08000",
  "08001",
  "08003",
  "08006",
]);

export function isConnectionCut(error: unknown): boolean {
  const { code, message } = error as { code?: string; message?: string };
  return CUT.has(code ?? "") ||
    /Connection terminated|connection (is )?closed|Client has encountered a connection error|not queryable/i
      .test(message ?? "");
}

export async function withReconnect<T>(work: () => Promise<T>, { withinMs = 60_000 } = {}): Promise<T> {
  const start = performance.now();
  while (true) {
    try {
      return await work();
    } catch (error) {
      if (!isConnectionCut(error) || performance.now() - start > withinMs) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
