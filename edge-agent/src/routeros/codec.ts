/**
 * RouterOS API framing (docs/router-work.md › Words and length encoding, Sentences and word kinds):
 * a word is a length prefix (1–5 bytes, big endian) plus that many bytes; a sentence is words ended
 * by a zero-length word.
 *
 * Text: RouterOS stores raw bytes and declares no encoding (docs/router-work.md › Text encoding).
 * We write UTF-8 (the agent keeps its values ASCII anyway) and read UTF-8, falling back to
 * Windows-1252 for words that are not valid UTF-8, since that is what WinBox users on Spanish
 * routers type. Lengths are always byte counts, never character counts.
 */
import { RouterOsProtocolError } from './errors';

/** Largest length the 5-byte form can carry. */
export const MAX_WORD_LENGTH = 0xffffffff;

/** Guard against a corrupt prefix making us buffer gigabytes; real replies are far smaller. */
export const DEFAULT_MAX_WORD_BYTES = 64 * 1024 * 1024;

export function encodeLength(length: number): Buffer {
	if (!Number.isInteger(length) || length < 0 || length > MAX_WORD_LENGTH) {
		throw new RangeError(`word length out of range: ${length}`);
	}
	if (length < 0x80) return Buffer.from([length]);
	if (length < 0x4000) return Buffer.from([(length >>> 8) | 0x80, length & 0xff]);
	if (length < 0x200000) {
		return Buffer.from([(length >>> 16) | 0xc0, (length >>> 8) & 0xff, length & 0xff]);
	}
	if (length < 0x10000000) {
		return Buffer.from([
			(length >>> 24) | 0xe0,
			(length >>> 16) & 0xff,
			(length >>> 8) & 0xff,
			length & 0xff
		]);
	}
	const out = Buffer.alloc(5);
	out[0] = 0xf0;
	out.writeUInt32BE(length, 1);
	return out;
}

/**
 * How many bytes the length prefix starting with `first` occupies. 0xF1–0xF7 are undefined in the
 * doc; like go-routeros we read them as the 5-byte form. 0xF8 and up are reserved control bytes
 * after which "API client cannot proceed".
 */
export function lengthPrefixSize(first: number): number {
	if (first < 0x80) return 1;
	if (first < 0xc0) return 2;
	if (first < 0xe0) return 3;
	if (first < 0xf0) return 4;
	if (first < 0xf8) return 5;
	throw new RouterOsProtocolError(`reserved control byte 0x${first.toString(16)}`);
}

/** Decodes a complete length prefix (as many bytes as `lengthPrefixSize` said). */
export function decodeLength(prefix: ArrayLike<number>): number {
	const size = lengthPrefixSize(prefix[0]);
	if (prefix.length < size) throw new RangeError('incomplete length prefix');
	switch (size) {
		case 1:
			return prefix[0];
		case 2:
			return ((prefix[0] & 0x3f) << 8) | prefix[1];
		case 3:
			return ((prefix[0] & 0x1f) << 16) | (prefix[1] << 8) | prefix[2];
		case 4:
			// Multiplication instead of << 24 keeps the value positive.
			return (prefix[0] & 0x0f) * 0x1000000 + ((prefix[1] << 16) | (prefix[2] << 8) | prefix[3]);
		default:
			return prefix[1] * 0x1000000 + ((prefix[2] << 16) | (prefix[3] << 8) | prefix[4]);
	}
}

export function encodeWord(word: string | Uint8Array): Buffer {
	const body = typeof word === 'string' ? Buffer.from(word, 'utf8') : Buffer.from(word);
	return Buffer.concat([encodeLength(body.length), body]);
}

/** Encodes words plus the terminating zero-length word. An empty list gives just `00`. */
export function encodeSentence(words: readonly string[]): Buffer {
	return Buffer.concat([...words.map((w) => encodeWord(w)), Buffer.from([0])]);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Windows-1252 bytes 0x80–0x9F (the rest is Latin-1). Spelled out because Node's
 * TextDecoder('windows-1252') decodes this range as Latin-1 control characters.
 * Undefined positions keep their C1 code point.
 */
const CP1252_HIGH =
	'\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
	'\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function decodeCp1252(bytes: Uint8Array): string {
	let out = '';
	for (const b of bytes) {
		out += b >= 0x80 && b < 0xa0 ? CP1252_HIGH[b - 0x80] : String.fromCharCode(b);
	}
	return out;
}

/** UTF-8 when the bytes are valid UTF-8, else Windows-1252 (never throws). */
export function decodeText(bytes: Uint8Array): string {
	try {
		return utf8.decode(bytes);
	} catch {
		// Invalid UTF-8: the value was typed in WinBox with a Windows code page.
		return decodeCp1252(bytes);
	}
}

export type SentenceDecoderOptions = {
	/** Words longer than this are a protocol error (default 64 MiB). */
	maxWordBytes?: number;
	/** Bytes → text; default `decodeText` (UTF-8, Windows-1252 fallback). */
	decodeWord?: (bytes: Uint8Array) => string;
};

/**
 * Incremental decoder: feed it whatever chunks the socket delivers (a word split over segments,
 * a lone terminator byte, several sentences at once) and it returns the sentences completed by
 * that chunk. Body bytes are collected as slices and joined once per word, so a large word
 * arriving in tiny segments stays linear. After a protocol error the decoder is unusable.
 */
export class SentenceDecoder {
	readonly #maxWordBytes: number;
	readonly #decodeWord: (bytes: Uint8Array) => string;
	#prefix: number[] = [];
	#prefixSize = 0;
	/** Body bytes still missing for the current word; -1 while reading a prefix. */
	#remaining = -1;
	#parts: Buffer[] = [];
	#words: string[] = [];
	#failed: RouterOsProtocolError | undefined;

	constructor(options: SentenceDecoderOptions = {}) {
		this.#maxWordBytes = options.maxWordBytes ?? DEFAULT_MAX_WORD_BYTES;
		this.#decodeWord = options.decodeWord ?? decodeText;
	}

	/** True when bytes of an unfinished sentence are buffered. */
	get midSentence(): boolean {
		return this.#prefix.length > 0 || this.#remaining >= 0 || this.#words.length > 0;
	}

	push(chunk: Uint8Array): string[][] {
		if (this.#failed) throw this.#failed;
		const data = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
		const sentences: string[][] = [];
		let i = 0;
		try {
			while (i < data.length) {
				if (this.#remaining < 0) {
					if (this.#prefix.length === 0) this.#prefixSize = lengthPrefixSize(data[i]);
					this.#prefix.push(data[i]);
					i += 1;
					if (this.#prefix.length < this.#prefixSize) continue;
					const length = decodeLength(this.#prefix);
					this.#prefix = [];
					if (length === 0) {
						// "Empty sentences are ignored" (a bare terminator).
						if (this.#words.length > 0) sentences.push(this.#words);
						this.#words = [];
						continue;
					}
					if (length > this.#maxWordBytes) {
						throw new RouterOsProtocolError(`word of ${length} bytes exceeds the limit`);
					}
					this.#remaining = length;
					this.#parts = [];
					continue;
				}
				const take = Math.min(this.#remaining, data.length - i);
				this.#parts.push(data.subarray(i, i + take));
				this.#remaining -= take;
				i += take;
				if (this.#remaining === 0) {
					const bytes = this.#parts.length === 1 ? this.#parts[0] : Buffer.concat(this.#parts);
					this.#words.push(this.#decodeWord(bytes));
					this.#parts = [];
					this.#remaining = -1;
				}
			}
		} catch (error) {
			this.#failed =
				error instanceof RouterOsProtocolError
					? error
					: new RouterOsProtocolError('undecodable input', { cause: error });
			throw this.#failed;
		}
		return sentences;
	}
}

/** Splits an attribute word `=name=value` on the second `=` only (values may contain `=`). */
export function parseAttributeWord(word: string): [name: string, value: string] | undefined {
	if (!word.startsWith('=')) return undefined;
	const eq = word.indexOf('=', 1);
	if (eq < 0) return [word.slice(1), ''];
	return [word.slice(1, eq), word.slice(eq + 1)];
}
