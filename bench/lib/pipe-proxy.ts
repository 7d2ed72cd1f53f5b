/**
 * The bench's "plain node:net piping" reference: a TCP proxy that gives each
 * client connection to the next backend in turn (round robin per connection,
 * not per request) and pipes bytes both ways without reading them. No HTTP
 * parsing, no pooling: the ceiling of what a Node process moves on one core.
 *
 * Usage: node dist/bench/lib/pipe-proxy.js <listenPort> <host:port> [<host:port>...]
 */
import net from 'node:net';

interface Target {
  host: string;
  port: number;
}

function parseTarget(text: string): Target {
  const i = text.lastIndexOf(':');
  const port = Number(text.slice(i + 1));
  if (i <= 0 || !Number.isInteger(port)) throw new Error(`pipe-proxy: bad target "${text}", want host:port`);
  return { host: text.slice(0, i), port };
}

function main(argv: string[]): void {
  const listenPort = Number(argv[0]);
  const targets = argv.slice(1).map(parseTarget);
  if (!Number.isInteger(listenPort) || targets.length === 0) {
    process.stderr.write('usage: pipe-proxy <listenPort> <host:port> [<host:port>...]\n');
    process.exit(2);
  }
  let next = 0;
  const server = net.createServer({ noDelay: true }, (client) => {
    const t = targets[next]!;
    next = (next + 1) % targets.length;
    const upstream = net.connect({ host: t.host, port: t.port, noDelay: true });
    // Either side failing ends both; errors are expected when wrk stops mid-request.
    const closeBoth = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', closeBoth);
    upstream.on('error', closeBoth);
    client.on('close', closeBoth);
    upstream.on('close', closeBoth);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  server.on('error', (err) => {
    process.stderr.write(`pipe-proxy: ${err.message}\n`);
    process.exit(1);
  });
  server.listen(listenPort, '127.0.0.1', 4096);
  const stop = (): void => {
    server.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main(process.argv.slice(2));
