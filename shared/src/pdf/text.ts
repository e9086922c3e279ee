/**
 * Text for the PDF's standard fonts (Helvetica, WinAnsi encoding): it covers Spanish whole —
 * á é í ó ú ü ñ Ñ ¿ ¡ º ª € and the typographic quotes and dashes — but a character outside it
 * (a Catalan Ŀ, an emoji, CJK) would make pdf-lib throw. So text is fitted first: an accented
 * letter outside the set falls back to its base letter, anything else to `?`.
 */

/** Measures text in one font at one size (pdf-lib's `PDFFont` satisfies it). */
export type TextMeasure = {
	widthOfTextAtSize(text: string, size: number): number;
	getCharacterSet(): number[];
};

const charsetCache = new WeakMap<TextMeasure, Set<number>>();

function charset(font: TextMeasure): Set<number> {
	let set = charsetCache.get(font);
	if (!set) {
		set = new Set(font.getCharacterSet());
		charsetCache.set(font, set);
	}
	return set;
}

/** `text` with every character the font can encode kept, the others replaced (see above). */
export function fitText(font: TextMeasure, text: string): string {
	const set = charset(font);
	let out = '';
	const plain = text
		.normalize('NFC')
		.replace(/\r/g, '')
		.replace(/[\t\u2000-\u200a\u205f\u3000]/g, ' ')
		.replace(/[\u202f]/g, '\u00a0')
		.replace(/[\u2010-\u2012\u2212]/g, '-')
		.replace(/[\u200b-\u200d\u2060\ufeff]/g, '');
	for (const ch of plain) {
		const cp = ch.codePointAt(0)!;
		if (set.has(cp) || ch === '\n') {
			out += ch;
			continue;
		}
		const base = ch.normalize('NFKD').replace(/\p{M}/gu, '');
		out += base !== '' && [...base].every((c) => set.has(c.codePointAt(0)!)) ? base : '?';
	}
	return out;
}

/**
 * `text` (already fitted) in lines no wider than `maxWidth`: paragraphs at `\n`, breaks between
 * words, a word longer than the line cut where it must. An empty text gives no lines.
 */
export function wrapText(font: TextMeasure, text: string, size: number, maxWidth: number) {
	const lines: string[] = [];
	const width = (s: string) => font.widthOfTextAtSize(s, size);
	for (const paragraph of text.split('\n')) {
		let line = '';
		for (const word of paragraph.split(/ +/).filter(Boolean)) {
			const candidate = line ? `${line} ${word}` : word;
			if (width(candidate) <= maxWidth) {
				line = candidate;
				continue;
			}
			if (line) lines.push(line);
			line = '';
			let rest = word;
			while (width(rest) > maxWidth) {
				let cut = rest.length - 1;
				while (cut > 1 && width(rest.slice(0, cut)) > maxWidth) cut--;
				lines.push(rest.slice(0, cut));
				rest = rest.slice(cut);
			}
			line = rest;
		}
		lines.push(line);
	}
	while (lines.length && lines[lines.length - 1] === '') lines.pop();
	return lines;
}

/** ISO `YYYY-MM-DD` as Spanish readers write it: `03/12/2026`. */
export function spanishDate(iso: string): string {
	const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
	return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}
