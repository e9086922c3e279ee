import { describe, expect, it } from 'vitest';
import {
	SentenceDecoder,
	decodeLength,
	decodeText,
	encodeLength,
	encodeSentence,
	encodeWord,
	lengthPrefixSize,
	parseAttributeWord
} from './codec';
import { RouterOsProtocolError } from './errors';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const bytes = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// Golden vectors (docs/router-work.md › Words and length encoding; from go-routeros's proto
// tests, recomputed).
const lengthVectors: [number, string][] = [
	[0x00, '00'],
	[0x01, '01'],
	[0x7f, '7f'],
	[0x80, '8080'],
	[0x87, '8087'],
	[0xc8, '80c8'],
	[0x3fff, 'bfff'],
	[0x4000, 'c04000'],
	[0x4321, 'c04321'],
	[0x1fffff, 'dfffff'],
	[0x200000, 'e0200000'],
	[0x2acdef, 'e02acdef'],
	[0xfffffff, 'efffffff'],
	[0x10000000, 'f010000000'],
	[0x10000080, 'f010000080'],
	[0xffffffff, 'f0ffffffff']
];

describe('length prefix', () => {
	it.each(lengthVectors)('encodes %i as %s', (length, expected) => {
		expect(hex(encodeLength(length))).toBe(expected);
	});

	it.each(lengthVectors)('decodes %i from %s', (length, encoded) => {
		const prefix = bytes(encoded);
		expect(lengthPrefixSize(prefix[0])).toBe(prefix.length);
		expect(decodeLength(prefix)).toBe(length);
	});

	it('rejects lengths that cannot be encoded', () => {
		expect(() => encodeLength(-1)).toThrow(RangeError);
		expect(() => encodeLength(0x100000000)).toThrow(RangeError);
		expect(() => encodeLength(1.5)).toThrow(RangeError);
	});

	it('treats 0xF8 and above as reserved control bytes', () => {
		for (const b of [0xf8, 0xfc, 0xff]) {
			expect(() => lengthPrefixSize(b)).toThrow(RouterOsProtocolError);
		}
	});
});

describe('words and sentences', () => {
	it('encodes /login with the documented bytes', () => {
		const expected = bytes(`
			06 2f 6c 6f 67 69 6e
			0b 3d 6e 61 6d 65 3d 61 64 6d 69 6e
			10 3d 70 61 73 73 77 6f 72 64 3d 73 65 63 72 65 74
			00`);
		expect(hex(encodeSentence(['/login', '=name=admin', '=password=secret']))).toBe(hex(expected));
	});

	it('encodes the documented tagged /ppp/active/print', () => {
		const expected = bytes(`
			11 2f 70 70 70 2f 61 63 74 69 76 65 2f 70 72 69 6e 74
			22 3d 2e 70 72 6f 70 6c 69 73 74 3d 2e 69 64 2c 6e 61 6d 65 2c 61 64 64 72 65 73 73 2c 75 70 74 69 6d 65
			0f 3f 6e 61 6d 65 3d 43 4c 49 2d 30 30 31 32 33
			06 2e 74 61 67 3d 37
			00`);
		const words = [
			'/ppp/active/print',
			'=.proplist=.id,name,address,uptime',
			'?name=CLI-00123',
			'.tag=7'
		];
		expect(hex(encodeSentence(words))).toBe(hex(expected));
	});

	it('encodes !done as 05 21 64 6f 6e 65 00', () => {
		expect(hex(encodeSentence(['!done']))).toBe('0521646f6e6500');
	});

	it('counts bytes, not characters, for non-ASCII text', () => {
		// "Razón" is 5 characters but 6 UTF-8 bytes.
		expect(hex(encodeWord('Razón'))).toBe('06' + Buffer.from('Razón').toString('hex'));
	});

	it('uses a 2-byte prefix for a 200-byte comment', () => {
		const word = '=comment=' + 'x'.repeat(191);
		expect(hex(encodeWord(word).subarray(0, 2))).toBe('80c8');
	});

	it('splits attribute words on the second = only', () => {
		expect(parseAttributeWord('=name=iu=c3Eeg')).toEqual(['name', 'iu=c3Eeg']);
		expect(parseAttributeWord('=comment=')).toEqual(['comment', '']);
		expect(parseAttributeWord('.tag=1')).toBeUndefined();
	});

	it('decodes UTF-8 and falls back to Windows-1252', () => {
		expect(decodeText(Buffer.from('Razón social', 'utf8'))).toBe('Razón social');
		// 0xF3 = ó and 0x80 = € in Windows-1252; neither is valid UTF-8 on its own.
		expect(decodeText(Buffer.from([0x52, 0x61, 0x7a, 0xf3, 0x6e, 0x20, 0x80]))).toBe('Razón €');
	});
});

describe('SentenceDecoder', () => {
	const reply = Buffer.concat([
		encodeSentence(['!re', '=name=CLI-00123', '=comment=' + 'é'.repeat(150), '.tag=3']),
		encodeSentence(['!empty', '.tag=7']),
		encodeSentence(['!done', '.tag=7']),
		encodeSentence(['!done', '=ret=*1F', '.tag=3'])
	]);
	const expected = [
		['!re', '=name=CLI-00123', '=comment=' + 'é'.repeat(150), '.tag=3'],
		['!empty', '.tag=7'],
		['!done', '.tag=7'],
		['!done', '=ret=*1F', '.tag=3']
	];

	it('decodes several sentences delivered in one chunk', () => {
		const decoder = new SentenceDecoder();
		expect(decoder.push(reply)).toEqual(expected);
		expect(decoder.midSentence).toBe(false);
	});

	it('decodes a stream fed one byte at a time', () => {
		const decoder = new SentenceDecoder();
		const out: string[][] = [];
		for (let i = 0; i < reply.length; i++) {
			out.push(...decoder.push(reply.subarray(i, i + 1)));
			// A sentence is only complete when its terminator byte arrives, never earlier.
			if (i < reply.length - 1) expect(out.length).toBeLessThan(expected.length);
		}
		expect(out).toEqual(expected);
	});

	it('decodes every two-way split of the stream', () => {
		for (let cut = 0; cut <= reply.length; cut++) {
			const decoder = new SentenceDecoder();
			const out = [...decoder.push(reply.subarray(0, cut)), ...decoder.push(reply.subarray(cut))];
			expect(out).toEqual(expected);
		}
	});

	it('handles a lone terminator and a lone first prefix byte', () => {
		const decoder = new SentenceDecoder();
		const sentence = encodeSentence(['!re', '=comment=' + 'a'.repeat(200)]);
		// [first prefix byte] [rest without terminator] [terminator]
		expect(decoder.push(sentence.subarray(0, 4))).toEqual([]);
		expect(decoder.push(sentence.subarray(4, 5))).toEqual([]);
		expect(decoder.push(sentence.subarray(5, sentence.length - 1))).toEqual([]);
		expect(decoder.midSentence).toBe(true);
		expect(decoder.push(sentence.subarray(sentence.length - 1))).toEqual([
			['!re', '=comment=' + 'a'.repeat(200)]
		]);
	});

	it('decodes words with 3-byte length prefixes', () => {
		const big = 'b'.repeat(0x4321);
		const decoder = new SentenceDecoder();
		const data = encodeSentence(['!re', '=data=' + big]);
		expect(hex(data.subarray(4, 7))).toBe('c04327');
		const out: string[][] = [];
		for (let i = 0; i < data.length; i += 1000)
			out.push(...decoder.push(data.subarray(i, i + 1000)));
		expect(out).toEqual([['!re', '=data=' + big]]);
	});

	it('ignores empty sentences', () => {
		const decoder = new SentenceDecoder();
		expect(decoder.push(Buffer.from([0, 0, ...encodeSentence(['!done']), 0]))).toEqual([['!done']]);
	});

	it('fails on a reserved control byte and stays failed', () => {
		const decoder = new SentenceDecoder();
		expect(() => decoder.push(Buffer.from([0x05, 0x21, 0x64, 0x6f, 0x6e, 0x65, 0xf8]))).toThrow(
			RouterOsProtocolError
		);
		expect(() => decoder.push(encodeSentence(['!done']))).toThrow(RouterOsProtocolError);
	});

	it('refuses words above the size limit before buffering them', () => {
		const decoder = new SentenceDecoder({ maxWordBytes: 1024 });
		expect(() => decoder.push(encodeLength(1025))).toThrow(/exceeds the limit/);
	});
});
