// A phone's link to the server, on loopback: a TCP proxy that counts the bytes going up, can be
// slowed to a mobile uplink's speed and cuts its connections when told to or every N bytes.
import net from 'node:net';

export type LinkProxy = {
	url: string;
	/** Bytes the proxy carried from clients to the server, in all. */
	bytesUp(): number;
	/** Connections cuts so far (each cut severs every open connection). */
	cuts(): number;
	/** Lose the signal now: every open connection is severed, both sides. */
	cutAll(): void;
	/**
	 * The signal dies without telling anyone: every open connection stays open and carries
	 * nothing more up (its client is no longer read) until it is cut. New connections work.
	 */
	holdAll(): void;
	close(): Promise<void>;
};

export type LinkOptions = {
	/** Cut every open connection each time this many bytes went up, `maxCuts` times at most. */
	cutEvery?: number;
	maxCuts?: number;
	/** The uplink's speed, shared by all connections; unlimited when not set. */
	bytesUpPerSecond?: number;
};

export async function linkProxy(target: string, o: LinkOptions = {}): Promise<LinkProxy> {
	const { hostname, port } = new URL(target);
	const maxCuts = o.maxCuts ?? 0;
	let up = 0;
	let sinceCut = 0;
	let cuts = 0;
	/** When the throttled uplink is free again (ms, performance clock). */
	let uplinkFreeAt = 0;
	const pairs = new Set<[net.Socket, net.Socket]>();
	const held = new WeakSet<net.Socket>();
	const cutAll = () => {
		cuts++;
		sinceCut = 0;
		for (const [client, upstream] of pairs) {
			client.destroy();
			upstream.destroy();
		}
		pairs.clear();
	};
	const server = net.createServer((client) => {
		const upstream = net.connect(Number(port), hostname);
		const pair: [net.Socket, net.Socket] = [client, upstream];
		pairs.add(pair);
		const end = () => {
			client.destroy();
			upstream.destroy();
			pairs.delete(pair);
		};
		client.on('data', (chunk: Buffer) => {
			if (cuts < maxCuts && o.cutEvery && sinceCut + chunk.length >= o.cutEvery) {
				// The last bytes before the cut reach the server, then the signal is gone.
				const piece = chunk.subarray(0, o.cutEvery - sinceCut);
				client.pause();
				up += piece.length;
				upstream.write(piece, cutAll);
				return;
			}
			up += chunk.length;
			sinceCut += chunk.length;
			upstream.write(chunk);
			if (o.bytesUpPerSecond) {
				const now = performance.now();
				uplinkFreeAt = Math.max(now, uplinkFreeAt) + (chunk.length / o.bytesUpPerSecond) * 1000;
				if (uplinkFreeAt > now + 1) {
					client.pause();
					setTimeout(() => held.has(client) || client.resume(), uplinkFreeAt - now);
				}
			}
		});
		upstream.on('data', (chunk) => client.write(chunk));
		client.on('error', end).on('close', end);
		upstream.on('error', end).on('close', end);
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const addr = server.address() as net.AddressInfo;
	return {
		url: `http://127.0.0.1:${addr.port}`,
		bytesUp: () => up,
		cuts: () => cuts,
		cutAll,
		holdAll: () => {
			for (const [client] of pairs) {
				held.add(client);
				client.pause();
			}
		},
		close: async () => {
			for (const [client, upstream] of pairs) {
				client.destroy();
				upstream.destroy();
			}
			await new Promise<void>((r) => server.close(() => r()));
		}
	};
}
