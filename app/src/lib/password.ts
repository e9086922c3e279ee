// No look-alike characters (0/O, 1/l/I): the password is often read out or copied by hand.
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** A random password from the browser's CSPRNG, without modulo bias. */
export function generatePassword(length = 16): string {
	const limit = 256 - (256 % ALPHABET.length);
	let out = '';
	while (out.length < length) {
		for (const b of crypto.getRandomValues(new Uint8Array(length * 2))) {
			if (b < limit && out.length < length) out += ALPHABET[b % ALPHABET.length];
		}
	}
	return out;
}
