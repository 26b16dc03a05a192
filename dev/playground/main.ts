/**
 * `npm start`'s terminal playground: a local IPFS node, the workspace host with the packaged app, and you as
 * alice in #general. Options: --zip <app.zip> --ipfs-repo <dir> --downloads <dir>.
 */
import { Feed } from './feed';
import { LineInput } from './lineInput';
import { Session } from './session';
import { startWorld } from './world';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<number> {
  const input = new LineInput();
  const print = (line: string): void => input.print(line);
  print('Starting the IPFS node and the workspace (real Apps-Engine + Deno)…');
  const world = await startWorld({
    appZip: option('--zip'),
    ipfsRepo: option('--ipfs-repo'),
    downloads: option('--downloads'),
    log: (line) => print(`  ${line}`),
  });
  const feed = new Feed(world.host, world.downloads, print);
  let shuttingDown: Promise<void> | undefined;
  const shutdown = (why: string): Promise<void> =>
    (shuttingDown ??= (async () => {
      print(`${why}: stopping the workspace host and the IPFS node…`);
      feed.stop();
      input.close();
      await world.stop();
      print('stopped.');
    })());
  const onSignal = (signal: string) => () => void shutdown(signal).finally(() => process.exit(130));
  input.onInterrupt(onSignal('Ctrl-C'));
  process.once('SIGINT', onSignal('SIGINT'));
  process.once('SIGTERM', onSignal('SIGTERM'));

  feed.poll();
  feed.start();
  print(`Files the app sends you are written to ${world.downloads}`);
  print('You are alice in #general (bob is there too: "as bob"). Type help for the commands.');
  const session = new Session(world, feed, { ask: (q) => input.ask(q), print });
  for (;;) {
    const line = await input.ask(session.prompt);
    if (line === undefined || shuttingDown) break;
    try {
      if (!(await session.run(line))) break;
    } catch (err) {
      print(`error: ${err instanceof Error ? err.message : String(err)}`);
    }
    feed.poll();
  }
  const errors = world.host.appErrors();
  if (errors.length > 0) print(`the app logged ${errors.length} error(s); "logs" shows them`);
  await shutdown('quit');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`playground: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
