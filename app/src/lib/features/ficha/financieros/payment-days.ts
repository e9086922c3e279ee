/** "5, 20" or "5 y 20" → [5, 20]; null when something else is in there. */
export function parseDays(text: string): number[] | null {
	const parts = text
		.split(/[\s,;/y]+/)
		.map((p) => p.trim())
		.filter(Boolean);
	if (!parts.every((p) => /^\d{1,2}$/.test(p))) return null;
	return parts.map(Number);
}
